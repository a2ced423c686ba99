package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/load"
	"github.com/rxsse/rxsse/bench/internal/report"
)

// commonFlags are the flags of every measuring command.
type commonFlags struct {
	runs    int
	format  string
	json    bool
	quiet   bool
	timeout time.Duration
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.runs, "runs", 3, "repeated runs per case (the median is reported, with min–max)")
	fs.StringVar(&c.format, "format", "text", "output: text, md (Markdown) or json")
	fs.BoolVar(&c.json, "json", false, "shorthand for -format json")
	fs.BoolVar(&c.quiet, "q", false, "no progress line on stderr")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "limit on each run")
}

func (c *commonFlags) output() (outputFormat, error) {
	f := outputFormat(c.format)
	if c.json {
		f = "json"
	}
	if !f.valid() {
		return "", fmt.Errorf("-format %q: want text, md or json", c.format)
	}
	if c.runs < 1 || c.runs > 100 {
		return "", fmt.Errorf("-runs %d: want 1..100", c.runs)
	}
	return f, nil
}

// targetFlags name the one target of fanout and idle.
type targetFlags struct {
	url  string
	name string
	pids string
	sc   serveConfig
}

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.url, "target", "http://127.0.0.1:8080",
		"base URL of the server under test, or serve:rxsse / serve:baseline to start one")
	fs.StringVar(&t.name, "name", "", "the target's name in the output (default: from -target)")
	fs.StringVar(&t.pids, "pid", "", "the server's process id(s), comma-separated, to read its CPU and memory from /proc (else its stats route is asked)")
	registerServerFlags(fs, &t.sc)
}

func (t *targetFlags) spec() (targetSpec, error) {
	name := t.name
	if name == "" {
		name = "target"
		if kind, ok := strings.CutPrefix(t.url, spawnPrefix); ok {
			name = kind
		}
	}
	pids, err := parsePIDs(t.pids, ",")
	if err != nil {
		return targetSpec{}, fmt.Errorf("-pid: %w", err)
	}
	return parseSpec(name, t.url, pids)
}

func fanoutCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	var cf commonFlags
	var tf targetFlags
	cf.register(fs)
	tf.register(fs)
	c := fs.Int("c", 1000, "connections (streams)")
	n := fs.Int("n", 200, "events published")
	size := fs.Int("size", 64, "bytes of padding per event")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := cf.output()
	if err != nil {
		return err
	}
	spec, err := tf.spec()
	if err != nil {
		return err
	}
	lt, err := spec.open(ctx, tf.sc)
	if err != nil {
		return err
	}
	defer lt.close()
	rep := newReport("fanout", cf.runs, spec.info(lt, tf.sc))
	pl := newProgressLine(cf.quiet)
	cfg := load.FanoutConfig{Conns: *c, Events: *n, Size: *size, Timeout: cf.timeout}
	acc := newFanoutAcc(spec.name, cfg)
	for i := range cf.runs {
		if ctx.Err() != nil {
			break
		}
		acc.addFanout(runFanout(ctx, lt.Target, cfg, fmt.Sprintf("%s run %d/%d", acc.cr.Case, i+1, cf.runs), pl))
	}
	rep.Results = append(rep.Results, acc.result())
	rep.LoadAvgEnd = report.LoadAvg()
	return rep.write(os.Stdout, f)
}

func newReport(cmd string, runs int, targets ...targetInfo) *runReport {
	return &runReport{Command: cmd, Started: time.Now(), Machine: report.DescribeMachine(), Runs: runs, Targets: targets}
}

func idleCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("idle", flag.ContinueOnError)
	var cf commonFlags
	var tf targetFlags
	cf.register(fs)
	tf.register(fs)
	c := fs.Int("c", 5000, "connections held open")
	hold := fs.Duration("hold", 5*time.Second, "how long the connections are held before memory is read")
	routeName := fs.String("route", "forever", "route held: forever (an event a second, the contract's idle case) or fanout (silent but for heartbeats)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := cf.output()
	if err != nil {
		return err
	}
	spec, err := tf.spec()
	if err != nil {
		return err
	}
	rep := newReport("idle", cf.runs, spec.info(nil, tf.sc))
	if spec.spawn != "" {
		rep.Conditions = append(rep.Conditions, "each run on a freshly started server process")
	} else {
		rep.Conditions = append(rep.Conditions,
			"runs after the first start from the memory the server kept from the run before")
	}
	pl := newProgressLine(cf.quiet)
	route, ok := load.IdleRoutes[*routeName]
	if !ok {
		return fmt.Errorf("-route %q: want forever or fanout", *routeName)
	}
	cfg := load.IdleConfig{Conns: *c, Hold: *hold, Timeout: cf.timeout, Route: route}
	if *routeName != "forever" {
		rep.Conditions = append(rep.Conditions, "streams held on "+route+" (silent but for heartbeats)")
	}
	if needsWorkers(*c) {
		cfg.Open = workersOn(route)
		rep.Conditions = append(rep.Conditions, fmt.Sprintf(
			"the client holds the streams in %d worker processes (%d streams at most per process: the open-file limit)",
			(*c+perProcessStreams()-1)/perProcessStreams(), perProcessStreams()))
	}
	acc := newIdleAcc(spec.name, cfg)
	for i := range cf.runs {
		if ctx.Err() != nil {
			break
		}
		res, err := idleOnce(ctx, spec, tf.sc, cfg, fmt.Sprintf("%s run %d/%d", acc.cr.Case, i+1, cf.runs), pl)
		acc.addIdle(res, err)
	}
	rep.Results = append(rep.Results, acc.result())
	rep.LoadAvgEnd = report.LoadAvg()
	return rep.write(os.Stdout, f)
}

// idleOnce runs one idle run, on a fresh server when the target is spawned.
func idleOnce(ctx context.Context, spec targetSpec, sc serveConfig, cfg load.IdleConfig, label string, pl *progressLine) (load.IdleResult, error) {
	lt, err := spec.open(ctx, sc)
	if err != nil {
		return load.IdleResult{}, err
	}
	defer lt.close()
	return runIdle(ctx, lt.Target, cfg, label, pl)
}
