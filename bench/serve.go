package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/rxsse/rxsse/bench/internal/baseline"
	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/internal/errorlog"
	"github.com/rxsse/rxsse/sse"
)

// serveConfig is what both servers take from the command line.
type serveConfig struct {
	addr      string
	baseline  bool
	queue     int
	policy    string
	heartbeat time.Duration
	// procs > 1 runs that many server processes on one port.
	procs int
	// reusePort sets SO_REUSEPORT on the listener (the processes of -procs).
	reusePort bool
	// pprof serves net/http/pprof under /debug/pprof/.
	pprof bool
	// attached keeps rxsse streams in net/http's handler goroutine
	// (sse.Options.Attached) instead of detaching them after the headers.
	attached bool
	// metrics counts with package metrics and serves /metrics (rxsse).
	metrics bool
}

func serveCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	fs.BoolVar(&c.baseline, "baseline", false, "serve the hand-written net/http baseline instead of rxsse")
	fs.BoolVar(&c.reusePort, "reuseport", false, "listen with SO_REUSEPORT (set by -procs for its processes)")
	fs.BoolVar(&c.pprof, "pprof", false, "also serve net/http/pprof under /debug/pprof/ (to see where a server's memory and CPU go)")
	registerServerFlags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.procs > 1 {
		return serveProcs(ctx, c, os.Stdout)
	}
	return serve(ctx, c, os.Stdout)
}

func (c serveConfig) name() string {
	if c.baseline {
		return "baseline"
	}
	return "rxsse"
}

// serve listens, prints its banner (compare reads it to find the port of a
// server it started), and serves until ctx ends.
func serve(ctx context.Context, c serveConfig, out *os.File) error {
	// Where the hard limit cannot be raised (no CAP_SYS_RESOURCE), the
	// soft one still goes up to it; the banner shows what is in force.
	nofile, _ := contract.RaiseFileLimit(1 << 20)
	var h http.Handler
	var streams *sse.Streams // the rxsse server's, to wait for at shutdown
	if c.baseline {
		h = baseline.New(&baseline.Options{QueueSize: c.queue, Heartbeat: c.heartbeat})
	} else {
		rx, err := newRxsseServer(c)
		if err != nil {
			return err
		}
		h, streams = rx, rx.Streams()
	}
	if c.pprof {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		h = mux
	}
	ln, err := listen(ctx, c.addr, c.reusePort)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// A keep-alive connection idle this long between requests is
		// closed (an open stream is never idle): without it, idle
		// connections pile up until the process runs out of descriptors.
		IdleTimeout: 60 * time.Second,
		// net/http logs an accept error at every retry when out of
		// descriptors, a TLS error per bad client: once a minute here.
		ErrorLog: errorlog.New(slog.New(slog.NewTextHandler(os.Stderr, nil)), time.Minute),
	}
	fmt.Fprintln(out, banner(ln.Addr().String(), c.name(), []int{os.Getpid()}, nofile))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// srv.Shutdown ends every stream; the rxsse server's account then
	// waits for the last bytes of those that left net/http. The baseline's
	// streams end with their requests.
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	if streams != nil {
		err = errors.Join(err, streams.Shutdown(sctx))
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return srv.Close()
}

func listen(ctx context.Context, addr string, reusePort bool) (net.Listener, error) {
	lc := net.ListenConfig{}
	if reusePort {
		lc.Control = func(_, _ string, c syscall.RawConn) error {
			var serr error
			if err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
			}); err != nil {
				return err
			}
			return serr
		}
	}
	return lc.Listen(ctx, "tcp", addr)
}

// soReusePort is SO_REUSEPORT (asm-generic/socket.h).
const soReusePort = 15

// serveProcs runs c.procs server processes on one port (the kernel spreads
// connections over them) and prints one banner with all their pids. The
// contract's fanout does not work across them (a publish reaches one
// process): it is for idle runs past one process's open-file limit.
func serveProcs(ctx context.Context, c serveConfig, out *os.File) error {
	addr := c.addr
	if _, port, err := net.SplitHostPort(addr); err == nil && port == "0" {
		// Pick the port once, for every process.
		ln, err := listen(ctx, addr, true)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		addr = ln.Addr().String()
		ln.Close()
	}
	child := c
	child.addr, child.procs, child.reusePort = addr, 1, true
	var procs []*serverProcess
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	var pids []int
	for range c.procs {
		p, err := startServerArgs(ctx, c.name(), childArgs(child))
		if err != nil {
			return err
		}
		procs = append(procs, p)
		pids = append(pids, p.pids...)
	}
	nofile, _ := contract.RaiseFileLimit(1 << 20)
	fmt.Fprintln(out, banner(addr, fmt.Sprintf("%s×%d", c.name(), c.procs), pids, nofile))
	select {
	case <-ctx.Done():
		return nil
	case <-procs[0].waited:
		return fmt.Errorf("serve: a server process ended: %w", procs[0].exitError())
	}
}

// childArgs are the command-line arguments of `bench serve` for c.
func childArgs(c serveConfig) []string {
	args := []string{"serve", "-addr", c.addr, "-queue", strconv.Itoa(c.queue),
		"-heartbeat", c.heartbeat.String(), "-policy", c.policy, "-procs", strconv.Itoa(max(1, c.procs))}
	if c.baseline {
		args = append(args, "-baseline")
	}
	if c.reusePort {
		args = append(args, "-reuseport")
	}
	if c.pprof {
		args = append(args, "-pprof")
	}
	if c.attached {
		args = append(args, "-attached")
	}
	if c.metrics {
		args = append(args, "-metrics")
	}
	return args
}
