package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/bench/internal/load"
	"github.com/rxsse/rxsse/bench/internal/report"
)

// fanoutCase is one C×N point of compare.
type fanoutCase struct{ conns, events int }

func parseFanoutCases(s string) ([]fanoutCase, error) {
	var out []fanoutCase
	if s == "" {
		return nil, nil
	}
	for _, f := range strings.Split(s, ",") {
		c, n, ok := strings.Cut(strings.TrimSpace(f), "x")
		ci, err1 := strconv.Atoi(c)
		ni, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || ci <= 0 || ni <= 0 {
			return nil, fmt.Errorf("-fanout %q: want CxN,… such as 1000x200", f)
		}
		out = append(out, fanoutCase{ci, ni})
	}
	return out, nil
}

func parseInts(flagName, s string) ([]int, error) {
	var out []int
	if s == "" {
		return nil, nil
	}
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("-%s %q: want positive integers separated by commas", flagName, f)
		}
		out = append(out, v)
	}
	return out, nil
}

func compareCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var cf commonFlags
	var sc serveConfig
	cf.register(fs)
	registerServerFlags(fs, &sc)
	targets := fs.String("targets", "baseline=serve:baseline,rxsse=serve:rxsse",
		"name=URL or name=serve:rxsse|serve:baseline, comma-separated; ratios are against the first")
	pids := fs.String("pid", "", "name=PID,… for targets started elsewhere, to read their CPU and memory from /proc")
	fanouts := fs.String("fanout", "100x1000,1000x200,5000x50", "fanout cases CxN (connections × events), comma-separated")
	size := fs.Int("size", 64, "bytes of padding per event")
	idles := fs.String("idle", "5000", "idle cases: connections held, comma-separated")
	hold := fs.Duration("hold", 5*time.Second, "how long idle connections are held before memory is read")
	chart := fs.String("chart", "", "write a chart to this .svg or .png file")
	save := fs.String("save", "", "also write the results as JSON to this file")
	note := fs.String("note", "", "a line added to the run's conditions (the commit measured, what else ran, …)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := cf.output()
	if err != nil {
		return err
	}
	specs, err := parseTargets(*targets, *pids)
	if err != nil {
		return err
	}
	fcases, err := parseFanoutCases(*fanouts)
	if err != nil {
		return err
	}
	icases, err := parseInts("idle", *idles)
	if err != nil {
		return err
	}
	if len(fcases)+len(icases) == 0 {
		return fmt.Errorf("no case: give -fanout or -idle")
	}
	rep, err := compare(ctx, specs, sc, compareCases{fanout: fcases, size: *size, idle: icases, hold: *hold},
		cf, newProgressLine(cf.quiet))
	if err != nil {
		return err
	}
	if *note != "" {
		rep.Conditions = append(rep.Conditions, *note)
	}
	if *chart != "" {
		if err := writeCompareChart(*chart, rep); err != nil {
			return err
		}
		rep.Chart = *chart
	}
	if *save != "" {
		if err := saveJSON(*save, rep.write); err != nil {
			return err
		}
	}
	return rep.write(os.Stdout, f)
}

type compareCases struct {
	fanout []fanoutCase
	size   int
	idle   []int
	hold   time.Duration
}

// compare runs every case on every target, one target at a time. Runs are
// interleaved (run 1 of each target, then run 2, …) so that a change in the
// machine's load touches every target alike.
func compare(ctx context.Context, specs []targetSpec, sc serveConfig, cases compareCases, cf commonFlags, pl *progressLine) (*runReport, error) {
	rep := newReport("compare", cf.runs)
	rep.Conditions = []string{
		"client and servers share this machine's cores; the CPU rows show what each side used",
		fmt.Sprintf("runs are interleaved across targets (run 1 of each, then run 2, …); fanout padding %d bytes", cases.size),
	}
	if len(cases.idle) > 0 {
		rep.Conditions = append(rep.Conditions, fmt.Sprintf(
			"idle: %v held per run before the server's RSS is read; servers started by bench are restarted for every idle run", cases.hold))
	}

	// Fanout: one server per spawned target for all fanout cases.
	live := make([]*liveTarget, len(specs))
	defer func() {
		for _, l := range live {
			if l != nil {
				l.close()
			}
		}
	}()
	for i, s := range specs {
		l, err := s.open(ctx, sc)
		if err != nil {
			return nil, err
		}
		live[i] = l
		rep.Targets = append(rep.Targets, s.info(l, sc))
	}
	for _, fc := range cases.fanout {
		cfg := load.FanoutConfig{Conns: fc.conns, Events: fc.events, Size: cases.size, Timeout: cf.timeout}
		accs := make([]*caseAcc, len(specs))
		for i, s := range specs {
			accs[i] = newFanoutAcc(s.name, cfg)
		}
		for run := range cf.runs {
			for i, l := range live {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if l.proc != nil {
					if err := l.proc.exitError(); err != nil {
						accs[i].addFanout(load.FanoutResult{}, err)
						continue
					}
				}
				label := fmt.Sprintf("%s %s run %d/%d", l.Name, accs[i].cr.Case, run+1, cf.runs)
				accs[i].addFanout(runFanout(ctx, l.Target, cfg, label, pl))
			}
		}
		for _, a := range accs {
			rep.Results = append(rep.Results, a.result())
		}
	}
	for i, l := range live {
		l.close()
		live[i] = nil
	}

	for _, c := range cases.idle {
		cfg := load.IdleConfig{Conns: c, Hold: cases.hold, Timeout: cf.timeout}
		if needsWorkers(c) {
			cfg.Open = workersOn(contract.PathForever)
		}
		accs := make([]*caseAcc, len(specs))
		for i, s := range specs {
			accs[i] = newIdleAcc(s.name, cfg)
		}
		for run := range cf.runs {
			for i, s := range specs {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				label := fmt.Sprintf("%s %s run %d/%d", s.name, accs[i].cr.Case, run+1, cf.runs)
				accs[i].addIdle(idleOnce(ctx, s, sc, cfg, label, pl))
			}
		}
		for _, a := range accs {
			rep.Results = append(rep.Results, a.result())
		}
	}
	rep.LoadAvgEnd = report.LoadAvg()
	return rep, nil
}

// writeCompareChart draws delivered events/s and p99 latency per fanout
// case, and RSS per idle connection, one bar per target.
func writeCompareChart(path string, rep *runReport) error {
	var fanCases, idleCases []string
	byKey := map[string]report.CaseResult{}
	seen := map[string]bool{}
	for _, cr := range rep.Results {
		byKey[cr.Case+"\x00"+cr.Target] = cr
		if seen[cr.Case] {
			continue
		}
		seen[cr.Case] = true
		if cr.Kind == "fanout" {
			fanCases = append(fanCases, cr.Case)
		} else {
			idleCases = append(idleCases, cr.Case)
		}
	}
	label := func(c string) string {
		c = strings.TrimPrefix(strings.TrimPrefix(c, "fanout "), "idle ")
		if i := strings.Index(c, " size="); i >= 0 {
			c = c[:i]
		}
		return c
	}
	group := func(title, ylabel string, cases []string, key string, scale float64) report.BarGroup {
		g := report.BarGroup{Title: title, YLabel: ylabel, Scale: scale}
		for _, c := range cases {
			g.Categories = append(g.Categories, label(c))
		}
		for _, t := range rep.Targets {
			s := report.Series{Name: t.Name}
			for _, c := range cases {
				s.Values = append(s.Values, byKey[c+"\x00"+t.Name].Values[key])
			}
			g.Series = append(g.Series, s)
		}
		return g
	}
	var groups []report.BarGroup
	if len(fanCases) > 0 {
		groups = append(groups,
			group("Fanout: delivered events/s (higher is better)", "million events/s", fanCases, "events_per_sec", 1e6),
			func() report.BarGroup {
				g := group("Fanout: latency p99 (lower is better, log scale)", "ms", fanCases, "latency_p99", 1e6)
				g.Log = true
				return g
			}())
	}
	if len(idleCases) > 0 {
		groups = append(groups,
			group("Idle: server RSS per connection (lower is better)", "KiB", idleCases, "rss_per_conn", 1024))
	}
	caption := fmt.Sprintf("bench compare, %s: %d cores (%s), %s; client and servers share the cores; median of %d runs, whiskers min–max",
		rep.Started.UTC().Format("2006-01-02"), rep.Machine.Cores, rep.Machine.CPU, rep.Machine.GoVersion, rep.Runs)
	return report.WriteChart(path, caption, groups)
}

// saveJSON writes a report's JSON form to path.
func saveJSON(path string, write func(io.Writer, outputFormat) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-save: %w", err)
	}
	if err := write(f, "json"); err != nil {
		f.Close()
		return fmt.Errorf("-save %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-save %s: %w", path, err)
	}
	return nil
}
