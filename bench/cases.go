package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/load"
	"github.com/rxsse/rxsse/bench/internal/report"
)

// The metrics of each kind of case, in table order.
var (
	fanoutMetrics = []report.Metric{
		{Key: "events_per_sec", Label: "delivered events/s", Unit: report.Rate, Higher: true},
		{Key: "latency_p50", Label: "latency p50", Unit: report.Duration},
		{Key: "latency_p90", Label: "latency p90", Unit: report.Duration},
		{Key: "latency_p99", Label: "latency p99", Unit: report.Duration},
		{Key: "latency_max", Label: "latency max", Unit: report.Duration},
		{Key: "client_cpu", Label: "client CPU (cores)", Unit: report.Cores},
		{Key: "server_cpu", Label: "server CPU (cores)", Unit: report.Cores},
	}
	idleMetrics = []report.Metric{
		{Key: "rss_per_conn", Label: "server RSS per connection", Unit: report.Bytes},
		{Key: "rss_total", Label: "server RSS growth", Unit: report.Bytes},
		{Key: "client_rss_per_conn", Label: "client RSS per connection", Unit: report.Bytes},
		{Key: "events_per_conn_per_sec", Label: "events/s per connection", Unit: report.Count, Higher: true},
		{Key: "connect_time", Label: "time to connect all", Unit: report.Duration},
		{Key: "client_cpu", Label: "client CPU while holding (cores)", Unit: report.Cores},
		{Key: "server_cpu", Label: "server CPU while holding (cores)", Unit: report.Cores},
	}
)

func metricsOf(kind string) []report.Metric {
	if kind == "idle" {
		return idleMetrics
	}
	return fanoutMetrics
}

func fanoutCaseName(c, n, size int) string {
	return fmt.Sprintf("fanout c=%d n=%d size=%d", c, n, size)
}
func idleCaseName(c int) string { return fmt.Sprintf("idle c=%d", c) }

// runFanoutCase runs one fanout case runs times on t.
func runFanoutCase(ctx context.Context, t *load.Target, cfg load.FanoutConfig, runs int, pl *progressLine) report.CaseResult {
	cr := report.CaseResult{
		Case: fanoutCaseName(cfg.Conns, cfg.Events, cfg.Size), Kind: "fanout", Target: t.Name,
		Params: map[string]int{"c": cfg.Conns, "n": cfg.Events, "size": cfg.Size},
	}
	vals := map[string][]float64{}
	var problems []string
	for i := range runs {
		if ctx.Err() != nil {
			cr.Errors = append(cr.Errors, ctx.Err().Error())
			break
		}
		pl.start(fmt.Sprintf("%s %s run %d/%d", t.Name, cr.Case, i+1, runs))
		cfg.Progress = pl.show
		res, err := load.Fanout(ctx, t, cfg)
		pl.clear()
		if err != nil {
			cr.Errors = append(cr.Errors, fmt.Sprintf("run %d: %v", i+1, err))
		}
		if !res.OK(cfg.Conns) && res.Received > 0 {
			problems = append(problems, fmt.Sprintf("run %d: %s", i+1, describeIntegrity(res)))
		}
		if err != nil || res.Received == 0 {
			continue
		}
		secs := res.Duration.Seconds()
		vals["events_per_sec"] = append(vals["events_per_sec"], res.EventsPerSec)
		vals["latency_p50"] = append(vals["latency_p50"], float64(res.Latency.P50))
		vals["latency_p90"] = append(vals["latency_p90"], float64(res.Latency.P90))
		vals["latency_p99"] = append(vals["latency_p99"], float64(res.Latency.P99))
		vals["latency_max"] = append(vals["latency_max"], float64(res.Latency.Max))
		vals["client_cpu"] = append(vals["client_cpu"], res.ClientCPU.Seconds()/secs)
		if res.ServerKnown {
			vals["server_cpu"] = append(vals["server_cpu"], res.ServerCPU.Seconds()/secs)
		}
	}
	cr.Values = summarize(vals)
	switch {
	case len(problems) > 0:
		cr.Integrity = strings.Join(problems, "; ")
	case len(vals["events_per_sec"]) == 0:
		cr.Integrity = "no complete run"
	default:
		cr.Integrity = "ok"
	}
	return cr
}

func describeIntegrity(r load.FanoutResult) string {
	var parts []string
	add := func(n int64, what string) {
		if n != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(int64(r.Conns-r.Complete), "incomplete clients")
	add(r.Missing, "missing")
	add(r.Duplicates, "duplicates")
	add(r.Reordered, "reordered")
	add(r.Unexpected, "unexpected")
	add(int64(r.Disconnected), "disconnected")
	s := strings.Join(parts, ", ")
	if r.FirstError != "" {
		s += " (first error: " + r.FirstError + ")"
	}
	return s
}

// runIdleCase runs one idle case runs times on t.
func runIdleCase(ctx context.Context, t *load.Target, cfg load.IdleConfig, runs int, pl *progressLine) report.CaseResult {
	cr := report.CaseResult{
		Case: idleCaseName(cfg.Conns), Kind: "idle", Target: t.Name,
		Params: map[string]int{"c": cfg.Conns, "hold_ms": int(cfg.Hold / time.Millisecond)},
	}
	vals := map[string][]float64{}
	for i := range runs {
		if ctx.Err() != nil {
			cr.Errors = append(cr.Errors, ctx.Err().Error())
			break
		}
		pl.start(fmt.Sprintf("%s %s run %d/%d", t.Name, cr.Case, i+1, runs))
		cfg.Progress = pl.show
		res, err := load.Idle(ctx, t, cfg)
		pl.clear()
		if err != nil {
			cr.Errors = append(cr.Errors, fmt.Sprintf("run %d: %v", i+1, err))
			continue
		}
		if res.Disconnected > 0 {
			cr.Errors = append(cr.Errors, fmt.Sprintf("run %d: %d streams ended early: %s", i+1, res.Disconnected, res.FirstError))
		}
		secs := res.Hold.Seconds()
		if res.ServerKnown {
			vals["rss_per_conn"] = append(vals["rss_per_conn"], res.PerConn)
			vals["rss_total"] = append(vals["rss_total"], float64(res.RSSAfter-res.RSSBefore))
			vals["server_cpu"] = append(vals["server_cpu"], res.ServerCPU.Seconds()/secs)
		}
		vals["client_rss_per_conn"] = append(vals["client_rss_per_conn"], res.ClientPerConn)
		vals["events_per_conn_per_sec"] = append(vals["events_per_conn_per_sec"], res.EventsPerConnPerSec)
		vals["connect_time"] = append(vals["connect_time"], float64(res.Connect))
		vals["client_cpu"] = append(vals["client_cpu"], res.ClientCPU.Seconds()/secs)
	}
	cr.Values = summarize(vals)
	return cr
}

func summarize(vals map[string][]float64) map[string]report.Stat {
	out := make(map[string]report.Stat, len(vals))
	for k, v := range vals {
		out[k] = report.Summarize(v)
	}
	return out
}
