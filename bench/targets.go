package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/load"
)

// targetSpec names a server to measure: a URL, or a server that the command
// starts itself: serve:rxsse, serve:baseline, or run:<command> for any
// program that prints the serve banner (bench/nest does).
type targetSpec struct {
	name  string
	url   string   // when not spawned
	spawn string   // "rxsse", "baseline" or "run" when spawned
	run   []string // the command of a run: target
	pids  []int
}

// runPrefix marks a target started from a command line: run:node main.js.
// The command gets PORT=0 in its environment and must print
// "listening on http://HOST:PORT (NAME, pids PID…" on its first line.
const runPrefix = "run:"

func parseSpec(name, s string, pids []int) (targetSpec, error) {
	if name == "" {
		return targetSpec{}, fmt.Errorf("target %q: empty name", s)
	}
	if cmd, ok := strings.CutPrefix(s, runPrefix); ok {
		argv := strings.Fields(cmd)
		if len(argv) == 0 {
			return targetSpec{}, fmt.Errorf("target %s: empty command", name)
		}
		if len(pids) != 0 {
			return targetSpec{}, fmt.Errorf("target %s: -pid is for servers started elsewhere", name)
		}
		return targetSpec{name: name, spawn: "run", run: argv}, nil
	}
	if kind, ok := strings.CutPrefix(s, spawnPrefix); ok {
		if kind != "rxsse" && kind != "baseline" {
			return targetSpec{}, fmt.Errorf("target %s: unknown server %q (want %srxsse or %sbaseline)", name, s, spawnPrefix, spawnPrefix)
		}
		if len(pids) != 0 {
			return targetSpec{}, fmt.Errorf("target %s: -pid is for servers started elsewhere", name)
		}
		return targetSpec{name: name, spawn: kind}, nil
	}
	if _, err := load.NewTarget(name, s, pids...); err != nil {
		return targetSpec{}, err
	}
	return targetSpec{name: name, url: s, pids: pids}, nil
}

// parsePIDs reads process ids separated by sep.
func parsePIDs(s, sep string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, sep) {
		pid, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || pid <= 0 {
			return nil, fmt.Errorf("process id %q: want a positive integer", f)
		}
		out = append(out, pid)
	}
	return out, nil
}

// parseTargets reads "name=URL,name=serve:rxsse,…" and "name=PID[+PID…],…".
func parseTargets(list, pids string) ([]targetSpec, error) {
	pidOf := map[string][]int{}
	if pids != "" {
		for _, kv := range strings.Split(pids, ",") {
			k, v, ok := strings.Cut(kv, "=")
			ps, err := parsePIDs(v, "+")
			if !ok || err != nil || len(ps) == 0 {
				return nil, fmt.Errorf("-pid %q: want name=PID[+PID…],…", kv)
			}
			pidOf[k] = ps
		}
	}
	var specs []targetSpec
	seen := map[string]bool{}
	for _, kv := range strings.Split(list, ",") {
		name, s, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return nil, fmt.Errorf("-targets %q: want name=URL or name=%srxsse", kv, spawnPrefix)
		}
		if seen[name] {
			return nil, fmt.Errorf("-targets: %s named twice", name)
		}
		seen[name] = true
		spec, err := parseSpec(name, s, pidOf[name])
		if err != nil {
			return nil, err
		}
		delete(pidOf, name)
		specs = append(specs, spec)
	}
	for name := range pidOf {
		return nil, fmt.Errorf("-pid: no target named %s", name)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("-targets: none given")
	}
	return specs, nil
}

// liveTarget is a target ready to be measured.
type liveTarget struct {
	spec targetSpec
	*load.Target
	proc *serverProcess
}

// open connects to the target, starting its server first when it is
// spawned.
func (s targetSpec) open(ctx context.Context, sc serveConfig) (*liveTarget, error) {
	if s.spawn == "" {
		t, err := load.NewTarget(s.name, s.url, s.pids...)
		if err != nil {
			return nil, err
		}
		return &liveTarget{spec: s, Target: t}, nil
	}
	var p *serverProcess
	var err error
	if s.spawn == "run" {
		p, err = startCommand(ctx, s.name, s.run, []string{"PORT=0"})
	} else {
		p, err = startServer(ctx, s.spawn, sc)
	}
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", s.name, err)
	}
	t, err := load.NewTarget(s.name, p.url, p.pids...)
	if err != nil {
		p.stop()
		return nil, err
	}
	return &liveTarget{spec: s, Target: t, proc: p}, nil
}

// close releases the target and stops its server if it was started here.
func (l *liveTarget) close() {
	l.Target.Close()
	if l.proc != nil {
		l.proc.stop()
	}
}

// info describes the target for the report.
func (s targetSpec) info(l *liveTarget, sc serveConfig) targetInfo {
	ti := targetInfo{Name: s.name, URL: s.url, PIDs: s.pids}
	if s.spawn == "run" {
		ti.URL = runPrefix + strings.Join(s.run, " ")
		ti.Note = "started by bench"
		if l != nil && l.proc != nil {
			ti.URL += " at " + l.proc.url
		}
	} else if s.spawn != "" {
		ti.URL = spawnPrefix + s.spawn
		ti.Note = fmt.Sprintf("started by bench: queue %d, heartbeat %v", sc.queue, sc.heartbeat)
		if sc.procs > 1 {
			ti.Note += fmt.Sprintf(", %d processes on one port", sc.procs)
		}
		if s.spawn == "rxsse" {
			ti.Note += ", policy " + sc.policy
			if sc.attached {
				ti.Note += ", attached streams"
			}
		}
		if l != nil && l.proc != nil {
			ti.URL += " at " + l.proc.url
		}
	}
	return ti
}

// registerServerFlags adds the options of the servers a command starts
// (serve:… targets, or the serve command itself).
func registerServerFlags(fs *flag.FlagSet, c *serveConfig) {
	fs.IntVar(&c.queue, "queue", 4096, "events a connection may have queued before the slow-client policy applies")
	fs.StringVar(&c.policy, "policy", "disconnect", "slow-client policy of the rxsse server: disconnect, drop-oldest, drop-newest (the baseline always disconnects)")
	fs.DurationVar(&c.heartbeat, "heartbeat", 15*time.Second, "heartbeat comment on streams silent that long (0: off)")
	fs.IntVar(&c.procs, "procs", 1, "server processes sharing the port (SO_REUSEPORT), to hold more connections than one process's open-file limit allows; idle only")
	fs.BoolVar(&c.metrics, "metrics", false, "rxsse server: count streams and the hub with package metrics, served at /metrics")
	fs.BoolVar(&c.attached, "attached", false, "rxsse server: keep streams in net/http's handler goroutine (sse.Options.Attached) instead of detaching them after the headers")
}
