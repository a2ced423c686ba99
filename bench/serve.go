package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/rxsse/rxsse/bench/internal/baseline"
	"github.com/rxsse/rxsse/bench/internal/contract"
)

// serveConfig is what both servers take from the command line.
type serveConfig struct {
	addr      string
	baseline  bool
	queue     int
	policy    string
	heartbeat time.Duration
	// encodePerConn makes the rxsse server encode broadcasts per connection.
	encodePerConn bool
}

func serveCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	fs.BoolVar(&c.baseline, "baseline", false, "serve the hand-written net/http baseline instead of rxsse")
	registerServerFlags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return serve(ctx, c, os.Stdout)
}

// serve listens, prints "listening on http://ADDR" (compare reads this line
// to find the port of a server it started), and serves until ctx ends.
func serve(ctx context.Context, c serveConfig, out *os.File) error {
	// Many connections need many descriptors: raise the limit as far as
	// this process may.
	// Where the hard limit cannot be raised (no CAP_SYS_RESOURCE), the
	// soft one still goes up to it; the banner shows what is in force.
	nofile, _ := contract.RaiseFileLimit(1 << 20)
	var h http.Handler
	var name string
	if c.baseline {
		h, name = baseline.New(&baseline.Options{QueueSize: c.queue, Heartbeat: c.heartbeat}), "baseline"
	} else {
		var err error
		h, err = newRxsseServer(c)
		if err != nil {
			return err
		}
		name = "rxsse"
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "listening on http://%s (%s, pid %d, open-file limit %d)\n", ln.Addr(), name, os.Getpid(), nofile)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Event streams never end by themselves: close them rather than wait.
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return srv.Close()
}
