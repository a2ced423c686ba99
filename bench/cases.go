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
		{Key: "other_cpu", Label: "other processes' CPU (cores)", Unit: report.Cores},
	}
	idleMetrics = []report.Metric{
		{Key: "rss_per_conn", Label: "server RSS per connection", Unit: report.Bytes},
		{Key: "rss_total", Label: "server RSS growth", Unit: report.Bytes},
		{Key: "heap_per_conn", Label: "  of which Go heap per connection", Unit: report.Bytes},
		{Key: "stack_per_conn", Label: "  of which stacks per connection", Unit: report.Bytes},
		{Key: "goroutines_per_conn", Label: "server goroutines per connection", Unit: report.PerOp},
		{Key: "client_mem_per_conn", Label: "client Go heap+stacks per connection", Unit: report.Bytes},
		{Key: "events_per_conn_per_sec", Label: "events/s per connection", Unit: report.Count, Higher: true},
		{Key: "connect_time", Label: "time to connect all", Unit: report.Duration},
		{Key: "client_cpu", Label: "client CPU while holding (cores)", Unit: report.Cores},
		{Key: "server_cpu", Label: "server CPU while holding (cores)", Unit: report.Cores},
		{Key: "other_cpu", Label: "other processes' CPU while holding (cores)", Unit: report.Cores},
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

// caseAcc gathers the runs of one case on one target.
type caseAcc struct {
	cr       report.CaseResult
	vals     map[string][]float64
	problems []string
	runs     int
}

func newFanoutAcc(target string, cfg load.FanoutConfig) *caseAcc {
	return &caseAcc{vals: map[string][]float64{}, cr: report.CaseResult{
		Case: fanoutCaseName(cfg.Conns, cfg.Events, cfg.Size), Kind: "fanout", Target: target,
		Params: map[string]int{"c": cfg.Conns, "n": cfg.Events, "size": cfg.Size},
	}}
}

func newIdleAcc(target string, cfg load.IdleConfig) *caseAcc {
	return &caseAcc{vals: map[string][]float64{}, cr: report.CaseResult{
		Case: idleCaseName(cfg.Conns), Kind: "idle", Target: target,
		Params: map[string]int{"c": cfg.Conns, "hold_ms": int(cfg.Hold / time.Millisecond)},
	}}
}

func (a *caseAcc) put(key string, v float64) { a.vals[key] = append(a.vals[key], v) }

func (a *caseAcc) fail(format string, args ...any) {
	a.cr.Errors = append(a.cr.Errors, fmt.Sprintf("run %d: ", a.runs)+fmt.Sprintf(format, args...))
}

// addFanout records one fanout run.
func (a *caseAcc) addFanout(res load.FanoutResult, err error) {
	a.runs++
	if err != nil {
		a.fail("%v", err)
	}
	if !res.OK(res.Conns) && res.Received > 0 {
		a.problems = append(a.problems, fmt.Sprintf("run %d: %s", a.runs, describeIntegrity(res)))
	}
	if err != nil || res.Received == 0 {
		return
	}
	secs := res.Duration.Seconds()
	a.put("events_per_sec", res.EventsPerSec)
	a.put("latency_p50", float64(res.Latency.P50))
	a.put("latency_p90", float64(res.Latency.P90))
	a.put("latency_p99", float64(res.Latency.P99))
	a.put("latency_max", float64(res.Latency.Max))
	a.put("client_cpu", res.ClientCPU.Seconds()/secs)
	if res.ServerKnown {
		a.put("server_cpu", res.ServerCPU.Seconds()/secs)
		a.put("other_cpu", res.OtherCPU.Seconds()/secs)
	}
}

// addIdle records one idle run.
func (a *caseAcc) addIdle(res load.IdleResult, err error) {
	a.runs++
	if err != nil {
		a.fail("%v", err)
		return
	}
	if res.Disconnected > 0 {
		a.fail("%d streams ended early: %s", res.Disconnected, res.FirstError)
	}
	secs := res.Hold.Seconds()
	if res.ServerKnown {
		a.put("rss_per_conn", res.PerConn)
		a.put("rss_total", float64(res.RSSAfter-res.RSSBefore))
		a.put("server_cpu", res.ServerCPU.Seconds()/secs)
		a.put("other_cpu", res.OtherCPU.Seconds()/secs)
	}
	if res.RuntimeKnown {
		a.put("heap_per_conn", res.HeapPerConn)
		a.put("stack_per_conn", res.StackPerConn)
		a.put("goroutines_per_conn", res.GoroutinesPerConn)
	}
	a.put("client_mem_per_conn", res.ClientPerConn)
	a.put("events_per_conn_per_sec", res.EventsPerConnPerSec)
	a.put("connect_time", float64(res.Connect))
	a.put("client_cpu", res.ClientCPU.Seconds()/secs)
}

// result returns the medians of what was recorded.
func (a *caseAcc) result() report.CaseResult {
	cr := a.cr
	cr.Values = make(map[string]report.Stat, len(a.vals))
	for k, v := range a.vals {
		cr.Values[k] = report.Summarize(v)
	}
	if cr.Kind == "fanout" {
		switch {
		case len(a.problems) > 0:
			cr.Integrity = strings.Join(a.problems, "; ")
		case len(a.vals["events_per_sec"]) == 0:
			cr.Integrity = "no complete run"
		default:
			cr.Integrity = "ok"
		}
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

// runFanout runs one fanout run with a progress line.
func runFanout(ctx context.Context, t *load.Target, cfg load.FanoutConfig, label string, pl *progressLine) (load.FanoutResult, error) {
	pl.start(label)
	cfg.Progress = pl.show
	defer pl.clear()
	return load.Fanout(ctx, t, cfg)
}

// runIdle runs one idle run with a progress line.
func runIdle(ctx context.Context, t *load.Target, cfg load.IdleConfig, label string, pl *progressLine) (load.IdleResult, error) {
	pl.start(label)
	cfg.Progress = pl.show
	defer pl.clear()
	return load.Idle(ctx, t, cfg)
}
