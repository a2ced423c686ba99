// Command examples is the rxsse demo server: every ported Nest SSE example
// behind one address, with an index page linking their pages.
//
//	go run ./examples                                  # http://localhost:3000, in-memory bus
//	go run ./examples -addr :8080                      # or PORT=8080
//	go run ./examples -redis redis://127.0.0.1:6379    # or REDIS_URL=…: the Redis bus
//	go run ./examples -tls                             # or TLS=1: HTTPS and HTTP/2, self-signed
//
// With the Redis bus, instances on several ports share the inbox and
// messages pushes, and a client moving from one to another with its
// Last-Event-ID misses nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "examples:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, cfg, os.Stdout, logger); err != nil {
		fmt.Fprintln(os.Stderr, "examples:", err)
		os.Exit(1)
	}
}
