package main

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/controller/openapi"
	"github.com/rxsse/rxsse/examples/hello"
	"github.com/rxsse/rxsse/examples/inbox"
	"github.com/rxsse/rxsse/examples/location"
	"github.com/rxsse/rxsse/examples/messages"
	"github.com/rxsse/rxsse/examples/notify"
	"github.com/rxsse/rxsse/internal/errorlog"
	"github.com/rxsse/rxsse/metrics"
	"github.com/rxsse/rxsse/sse"
)

//go:embed index.html
var indexHTML []byte

// tuning holds what tests shorten; the zero value is the demo's real pace.
type tuning struct {
	HelloPeriod  time.Duration // hello's interval (1 s)
	NotifyPeriod time.Duration // notify's interval (200 ms)
	Retry        time.Duration // "retry:" hint sent to clients (none: the browser's default)
	RedisStream  string        // the Redis stream key (redisbus.DefaultStream)
}

// app is one instance of the demo: its bus and its routes.
type app struct {
	hub     bus.Hub
	busName string
	handler http.Handler
	streams *sse.Streams // the SSE routes' streams
}

// newApp connects to the bus cfg names and builds the routes of every
// example. Close releases the bus.
func newApp(ctx context.Context, cfg config, tune tuning, logger *slog.Logger) (*app, error) {
	a := &app{busName: "in-memory"}
	if cfg.RedisURL != "" {
		hub, err := connectRedis(ctx, cfg, tune, logger)
		if err != nil {
			return nil, fmt.Errorf("connecting to the Redis bus: %w", err)
		}
		a.hub, a.busName = hub, "Redis"
	} else {
		a.hub = bus.NewMemory(nil)
	}
	// Metrics on a registry of the app's own, served at /metrics.
	m := metrics.New(nil)
	reg := prometheus.NewRegistry()
	reg.MustRegister(m, collectors.NewGoCollector())
	if rh, ok := a.hub.(*redisbus.Hub); ok {
		m.WatchReader("redis", rh)
	}
	a.hub = m.Hub(a.hub)

	r := controller.NewRouter(&controller.Options{
		Logger: logger,
		SSE: &sse.Options{
			Retry:               tune.Retry,
			Logger:              logger,
			MaxStreams:          cfg.MaxStreams,
			MaxStreamsPerClient: cfg.MaxStreamsPerClient,
		},
	})
	r.Use(m.Middleware)
	auth := messages.NewDemoAuth([]byte(cfg.JWTSecret))
	// As a Nest app's module lists its controllers, with their prefixes.
	r.Mount("/", &hello.Controller{Period: tune.HelloPeriod})
	r.Mount("/location", location.NewController())
	r.Mount("/notify", &notify.Controller{Period: tune.NotifyPeriod})
	r.Mount("/", &inbox.Controller{Hub: a.hub})
	r.Mount("/auth", &messages.AuthController{Auth: auth})
	r.Mount("/", messages.NewController(a.hub, auth))

	r.Handle("GET /{$}", http.HandlerFunc(serveIndex))
	r.Handle("GET /ui/hello", hello.Page())
	r.Handle("GET /ui/location", location.Page())
	r.Handle("GET /ui/notify", notify.Page())
	r.Handle("GET /ui/inbox", inbox.Page())
	r.Handle("GET /ui/messages", messages.Page())
	r.Handle("GET /openapi.json", openapi.Handler(r, &openapi.Options{Title: "rxsse examples", Version: "1.0.0"}))
	r.Handle("GET /docs", openapi.Page("/openapi.json"))
	r.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	a.handler, a.streams = r, r.Streams()
	return a, nil
}

func serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(indexHTML)
}

// Close closes the bus: open streams complete.
func (a *app) Close() error { return a.hub.Close() }

// serve runs the demo on ln until ctx ends, then shuts it down.
//
// A keep-alive connection idle for cfg.IdleTimeout between requests is
// closed (an open stream is never idle). net/http's own error lines go to
// logger, those that come in floods (accept errors when the process is out
// of file descriptors, clients' TLS errors) once a minute at most.
//
// Shutdown closes the listener and the idle connections at once, ends the
// open streams cleanly (their clients reconnect, to this instance when it
// is back or to another) and gives them cfg.ShutdownGrace to write their
// last events; then it closes the connections net/http still holds and
// returns. The streams of stalled clients that took their connections over
// from net/http end at their write timeout, or when the process exits,
// which the command does right after.
//
// With cfg.TLS it serves HTTPS with a certificate made now, and so HTTP/2.
func serve(ctx context.Context, ln net.Listener, a *app, cfg config, logger *slog.Logger) error {
	var fresh freshConns
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       cmp.Or(cfg.IdleTimeout, defaultIdleTimeout),
		ErrorLog:          errorlog.New(logger, time.Minute),
		ConnState:         fresh.track,
	}
	// net/http waits up to 5 s at shutdown for a connection on which no
	// request has come yet (browsers open some ahead of need): close them
	// at once.
	srv.RegisterOnShutdown(fresh.closeAll)
	if cfg.TLS {
		host, _, _ := net.SplitHostPort(cfg.Addr)
		tc, err := selfSignedTLS(host, time.Now())
		if err != nil {
			ln.Close()
			return err
		}
		srv.TLSConfig = tc
	}
	done := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			done <- srv.ServeTLS(ln, "", "") // offers h2 by ALPN
			return
		}
		done <- srv.Serve(ln)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), cmp.Or(cfg.ShutdownGrace, defaultShutdownGrace))
	defer cancel()
	// srv.Shutdown ends the open streams; the router's account then waits
	// for the streams sse took over from net/http to write their last bytes.
	err := errors.Join(srv.Shutdown(sctx), a.streams.Shutdown(sctx))
	if errors.Is(err, context.DeadlineExceeded) {
		// The grace is over: cut the streams of stalled clients too
		// (net/http's Close does not reach those that left it).
		a.streams.Close()
		err = srv.Close()
	}
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// freshConns are the connections on which no request has come yet.
type freshConns struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// track is the server's ConnState hook.
func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state != http.StateNew {
		delete(f.conns, c)
		return
	}
	if f.closed {
		c.Close()
		return
	}
	if f.conns == nil {
		f.conns = make(map[net.Conn]struct{})
	}
	f.conns[c] = struct{}{}
}

// closeAll closes the fresh connections, and those to come.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for c := range f.conns {
		c.Close()
	}
	clear(f.conns)
}

// run is the whole command: listen, print the URL, serve until ctx ends.
func run(ctx context.Context, cfg config, stdout io.Writer, logger *slog.Logger) error {
	a, err := newApp(ctx, cfg, tuning{}, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rxsse demo on %s (%s bus); Ctrl-C stops it\n", browserURL(ln.Addr(), cfg.TLS), a.busName)
	return serve(ctx, ln, a, cfg, logger)
}
