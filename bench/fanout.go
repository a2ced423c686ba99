package main

import (
	"context"
	"flag"
	"fmt"
	"os"
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

// targetFlags name one target.
type targetFlags struct {
	url  string
	name string
	pid  int
}

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.url, "target", "http://127.0.0.1:8080", "base URL of the server under test")
	fs.StringVar(&t.name, "name", "target", "the target's name in the output")
	fs.IntVar(&t.pid, "pid", 0, "the server's process id, to read its CPU and memory from /proc (else its stats route is asked)")
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
	t, err := load.NewTarget(tf.name, tf.url, tf.pid)
	if err != nil {
		return err
	}
	defer t.Close()
	rep := newReport("fanout", cf.runs, targetInfo{Name: t.Name, URL: tf.url, PID: tf.pid})
	pl := newProgressLine(cf.quiet)
	cfg := load.FanoutConfig{Conns: *c, Events: *n, Size: *size, Timeout: cf.timeout}
	rep.Results = append(rep.Results, runFanoutCase(ctx, t, cfg, cf.runs, pl))
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	// One idle run at a time is the common case: memory does not vary much
	// and big runs take long.
	f, err := cf.output()
	if err != nil {
		return err
	}
	t, err := load.NewTarget(tf.name, tf.url, tf.pid)
	if err != nil {
		return err
	}
	defer t.Close()
	rep := newReport("idle", cf.runs, targetInfo{Name: t.Name, URL: tf.url, PID: tf.pid})
	pl := newProgressLine(cf.quiet)
	cfg := load.IdleConfig{Conns: *c, Hold: *hold, Timeout: cf.timeout}
	rep.Results = append(rep.Results, runIdleCase(ctx, t, cfg, cf.runs, pl))
	rep.LoadAvgEnd = report.LoadAvg()
	return rep.write(os.Stdout, f)
}
