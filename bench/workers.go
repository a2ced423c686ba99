package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/bench/internal/load"
)

// One process may not hold more streams than its open-file limit allows,
// and without CAP_SYS_RESOURCE that limit cannot be raised past the hard
// one (20,000 on this project's machines). Past it, idle spreads the streams
// over worker processes of this same binary ("idle-worker"), each on its own
// loopback source address.

// workerReport is what a worker prints on stdout, a line at a time.
type workerReport struct {
	Connected    int    `json:"connected"`
	Events       int64  `json:"events"`
	Disconnected int    `json:"disconnected"`
	Dialed       bool   `json:"dialed"` // every dial has ended
	Error        string `json:"error,omitempty"`
	CPUNanos     int64  `json:"cpu_ns"`
	Mem          int64  `json:"mem"` // live Go heap and stacks

}

// idleWorkerCmd holds -c streams and reports until its stdin closes.
func idleWorkerCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("idle-worker", flag.ContinueOnError)
	target := fs.String("target", "", "base URL")
	c := fs.Int("c", 0, "streams")
	first := fs.Int("first-source", 0, "index of the first loopback source address")
	parallel := fs.Int("dial-parallel", 64, "dials at once")
	route := fs.String("route", contract.PathForever, "route held")
	if err := fs.Parse(args); err != nil {
		return err
	}
	t, err := load.NewTarget("worker", *target)
	if err != nil {
		return err
	}
	defer t.Close()
	set, err := load.HoldStreams(ctx, t, *c, load.HoldOptions{DialParallel: *parallel, FirstSource: *first, Route: *route})
	if err != nil {
		return err
	}
	defer set.Close()
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // returns when the parent closes it
		close(stdinClosed)
	}()
	dialed := make(chan struct{})
	go func() {
		_ = set.Wait(ctx) // the error is reported through FirstError
		close(dialed)
	}()
	enc := json.NewEncoder(os.Stdout)
	// The memory figure costs a GC: it is taken once every stream is open
	// (what the parent reads at the end of its hold) and every 5 s after,
	// while counts and CPU go out every 200 ms.
	var mem int64
	var memAt time.Time
	memAfterDial := false
	report := func() error {
		conn, ev, disc := set.Counts()
		cpu := contract.SelfCPU()
		done := false
		select {
		case <-dialed:
			done = true
		default:
		}
		if (done && !memAfterDial) || time.Since(memAt) >= 5*time.Second {
			mem, memAt, memAfterDial = contract.GoMemory(), time.Now(), done
		}
		return enc.Encode(workerReport{Connected: conn, Events: ev, Disconnected: disc, Dialed: done,
			Error: set.FirstError(), CPUNanos: int64(cpu), Mem: mem})
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stdinClosed:
			return nil
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := report(); err != nil {
				return nil // the parent has gone
			}
		}
	}
}

// workerSet is a load.StreamSet held by worker processes.
type workerSet struct {
	procs []*workerProc
}

type workerProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}
	stderr *limitedBuffer

	mu   sync.Mutex
	last workerReport
	n    int
}

// perProcessStreams is how many streams one process may hold: its hard
// open-file limit less a margin, and at most what one source address
// carries.
func perProcessStreams() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 10_000
	}
	return int(min(lim.Max-1024, 20_000))
}

// needsWorkers reports whether n streams are more than this process may
// hold, even after raising its limit.
func needsWorkers(n int) bool {
	if got, err := contract.RaiseFileLimit(uint64(n) + 1024); err == nil && got >= uint64(n)+1024 {
		return false
	}
	return true
}

// workersOn returns an IdleConfig.Open that holds streams to route in
// worker processes.
func workersOn(route string) func(ctx context.Context, t *load.Target, n int) (load.StreamSet, error) {
	return func(ctx context.Context, t *load.Target, n int) (load.StreamSet, error) {
		return openWorkersPer(ctx, t, n, perProcessStreams(), route)
	}
}

// openWorkersPer starts ceil(n/per) worker processes holding up to per
// streams to route each.
func openWorkersPer(ctx context.Context, t *load.Target, n, per int, route string) (*workerSet, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ws := &workerSet{}
	for first, left := 0, n; left > 0; first++ {
		share := min(per, left)
		left -= share
		cmd := exec.Command(exe, "idle-worker", "-target", t.URL.String(), "-c", strconv.Itoa(share),
			"-first-source", strconv.Itoa(first), "-route", route)
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		w := &workerProc{cmd: cmd, exited: make(chan struct{}), stderr: &limitedBuffer{max: 16 << 10}, n: share}
		cmd.Stderr = w.stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			ws.Close()
			return nil, err
		}
		if w.stdin, err = cmd.StdinPipe(); err != nil {
			ws.Close()
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			ws.Close()
			return nil, fmt.Errorf("start idle worker: %w", err)
		}
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				var r workerReport
				if json.Unmarshal(sc.Bytes(), &r) == nil {
					w.mu.Lock()
					w.last = r
					w.mu.Unlock()
				}
			}
			_ = cmd.Wait() // how it ended shows in its last report and stderr
			close(w.exited)
		}()
		ws.procs = append(ws.procs, w)
	}
	return ws, nil
}

func (w *workerProc) report() workerReport {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Counts implements load.StreamSet.
func (ws *workerSet) Counts() (int, int64, int) {
	var c, d int
	var e int64
	for _, w := range ws.procs {
		r := w.report()
		c, e, d = c+r.Connected, e+r.Events, d+r.Disconnected
	}
	return c, e, d
}

// Wait implements load.StreamSet.
func (ws *workerSet) Wait(ctx context.Context) error {
	for {
		all := true
		for _, w := range ws.procs {
			select {
			case <-w.exited:
				return fmt.Errorf("idle worker exited: %s", w.stderr)
			default:
			}
			r := w.report()
			if !r.Dialed {
				all = false
			} else if r.Connected != w.n {
				return fmt.Errorf("idle worker: %d of %d streams: %s", r.Connected, w.n, r.Error)
			}
		}
		if all {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Usage implements load.StreamSet: the workers' CPU time and memory,
// summed, as of their latest reports (CPU at most 200 ms old; memory taken
// once all their streams were open).
func (ws *workerSet) Usage() (time.Duration, int64) {
	var cpu time.Duration
	var mem int64
	for _, w := range ws.procs {
		r := w.report()
		cpu += time.Duration(r.CPUNanos)
		mem += r.Mem
	}
	return cpu, mem
}

// FirstError implements load.StreamSet.
func (ws *workerSet) FirstError() string {
	for _, w := range ws.procs {
		if e := w.report().Error; e != "" {
			return e
		}
	}
	return ""
}

// Close implements load.StreamSet: closing a worker's stdin ends it.
func (ws *workerSet) Close() {
	var errs []error
	for _, w := range ws.procs {
		if w.stdin != nil {
			errs = append(errs, w.stdin.Close())
		}
	}
	for _, w := range ws.procs {
		select {
		case <-w.exited:
		case <-time.After(30 * time.Second):
			_ = w.cmd.Process.Kill() // it would not stop: nothing else to do
			<-w.exited
		}
	}
	_ = errors.Join(errs...) // a pipe already closed by an exited worker is fine
}
