package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/client"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const wait = 5 * time.Second

// server is the project's own server on a loopback port: a stream of the
// messages of a hub, resumable with Last-Event-ID. It can drop every
// connection, and stop and start again on the same address.
type server struct {
	t    testing.TB
	hub  countingHub // replaced by a restart that brings a new hub
	addr string
	opts *sse.Options

	mu    sync.Mutex
	srv   *http.Server
	conns map[net.Conn]bool
	reqs  []http.Header // the headers of every stream request
}

// countingHub is a hub that tells how many subscribers it has: both
// backends.
type countingHub interface {
	bus.Hub
	Subscribers() int
}

func newServer(t testing.TB, hub countingHub, opts *sse.Options) *server {
	s := &server{t: t, hub: hub, opts: opts}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) url() string { return "http://" + s.addr + "/stream" }

// start serves on s.addr (a new loopback port the first time).
func (s *server) start() {
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("GET /stream", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Header.Clone())
		s.mu.Unlock()
		msgs := s.currentHub().Subscribe(r.Context(), bus.Recipient{LastEventID: sse.LastEventID(r), Mark: true})
		return rx.Map(msgs, func(m *bus.Message) sse.MessageEvent {
			id := m.ID
			if m.IsMark() {
				return sse.MessageEvent{ID: &id} // sets the client's last event id, dispatches nothing
			}
			return sse.MessageEvent{ID: &id, Type: m.Type, Data: string(m.Data)}
		}), nil
	}, s.opts))
	srv := &http.Server{Handler: mux, ConnState: func(c net.Conn, st http.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch st {
		case http.StateNew:
			s.conns[c] = true
		case http.StateClosed:
			delete(s.conns, c)
		}
	}}
	s.mu.Lock()
	s.srv, s.conns = srv, map[net.Conn]bool{}
	s.mu.Unlock()
	go srv.Serve(ln)
}

// stop shuts the server down: its streams end cleanly, as on a restart.
func (s *server) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		s.t.Errorf("Shutdown: %v", err)
	}
}

// drop closes every connection, as a network failure would (the streams
// detached from net/http keep their net.Conn).
func (s *server) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		// A network failure: both directions shut down, as a peer's reset
		// would. (Closing the descriptor from outside the stream would not
		// tell a stream that watches it with epoll.)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.CloseRead()
			_ = tc.CloseWrite()
			continue
		}
		c.Close()
	}
}

func (s *server) currentHub() countingHub {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hub
}

func (s *server) subscribers() int { return s.currentHub().Subscribers() }

func (s *server) requests() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// recorder collects what a subscription delivers.
type recorder[T any] struct {
	mu     sync.Mutex
	vals   []T
	err    error
	ended  bool
	change chan struct{}
}

func newRecorder[T any]() *recorder[T] { return &recorder[T]{change: make(chan struct{})} }

func (r *recorder[T]) update(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
	close(r.change)
	r.change = make(chan struct{})
}

func (r *recorder[T]) Next(v T)        { r.update(func() { r.vals = append(r.vals, v) }) }
func (r *recorder[T]) Error(err error) { r.update(func() { r.err, r.ended = err, true }) }
func (r *recorder[T]) Complete()       { r.update(func() { r.ended = true }) }

// waitFor waits until cond holds of what was delivered.
func (r *recorder[T]) waitFor(t testing.TB, what string, cond func(vals []T, ended bool) bool) ([]T, error) {
	t.Helper()
	deadline := time.After(wait)
	for {
		r.mu.Lock()
		vals, err, ended, ch := slices.Clone(r.vals), r.err, r.ended, r.change
		r.mu.Unlock()
		if cond(vals, ended) {
			return vals, err
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; got %v (ended %v, err %v)", what, vals, ended, err)
		}
	}
}

func (r *recorder[T]) waitN(t testing.TB, n int) []T {
	t.Helper()
	vals, _ := r.waitFor(t, fmt.Sprintf("%d values", n), func(v []T, ended bool) bool { return len(v) >= n || ended })
	return vals
}

func (r *recorder[T]) waitEnd(t testing.TB) ([]T, error) {
	t.Helper()
	return r.waitFor(t, "the end", func(_ []T, ended bool) bool { return ended })
}

type payload struct {
	N int `json:"n"`
}

func publish(t testing.TB, hub bus.Hub, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		if _, err := hub.Publish(context.Background(), bus.ToAll(), "", []byte(`{"n":`+strconv.Itoa(n)+`}`)); err != nil {
			t.Fatal(err)
		}
	}
}

func numbers(from, to int) []payload {
	var out []payload
	for n := from; n <= to; n++ {
		out = append(out, payload{n})
	}
	return out
}

func waitSubscribers(t testing.TB, hub interface{ Subscribers() int }, n int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for hub.Subscribers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers, want %d", hub.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// resumeScenario reads 1..3, loses the connection by cut, misses 4..5
// (published when cut calls missed),
// reconnects and reads them, then 6..7 live: no gap, no duplicate.
func resumeScenario(t *testing.T, hub countingHub, publisher bus.Hub, cut func(s *server, missed func())) {
	s := newServer(t, hub, &sse.Options{Retry: 50 * time.Millisecond})
	rec := newRecorder[payload]()
	sub := client.Stream[payload](s.url(), nil).Subscribe(t.Context(), rec)
	defer sub.Unsubscribe()

	counter := subscriberCount(s.subscribers)
	waitSubscribers(t, counter, 1)
	publish(t, publisher, 1, 3)
	rec.waitN(t, 3)
	cut(s, func() { publish(t, publisher, 4, 5) })
	waitSubscribers(t, counter, 1)
	publish(t, publisher, 6, 7)
	if got := rec.waitN(t, 7); !slices.Equal(got, numbers(1, 7)) {
		t.Fatalf("got %v, want 1..7 once each", got)
	}
	reqs := s.requests()
	if len(reqs) != 2 || reqs[0].Get("Last-Event-ID") != "" || reqs[1].Get("Last-Event-ID") == "" {
		t.Errorf("requests with Last-Event-ID %q", lastIDs(reqs))
	}
}

type subscriberCount func() int

func (f subscriberCount) Subscribers() int { return f() }

func lastIDs(reqs []http.Header) []string {
	var out []string
	for _, h := range reqs {
		out = append(out, h.Get("Last-Event-ID"))
	}
	return out
}

func TestResumeAfterDrop(t *testing.T) {
	t.Parallel()
	hub := bus.NewMemory(nil)
	defer hub.Close()
	resumeScenario(t, hub, hub, func(s *server, missed func()) {
		s.drop()
		waitSubscribers(t, hub, 0)
		missed()
	})
}

func TestResumeAfterRestart(t *testing.T) {
	t.Parallel()
	hub := bus.NewMemory(nil)
	defer hub.Close()
	resumeScenario(t, hub, hub, func(s *server, missed func()) {
		s.stop()
		missed()
		// The client's attempts fail while the server is down; it backs off
		// from the retry hint (50 ms).
		time.Sleep(150 * time.Millisecond)
		s.start()
	})
}

// The server's retry hint sets the reconnection delay, with jitter down to
// half of it.
func TestRetryHint(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		times []time.Time
	)
	const hint = 300 * time.Millisecond
	h := sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		return rx.Of("x"), nil
	}, &sse.Options{Retry: hint})
	srv := &http.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	rec := newRecorder[string]()
	sub := client.Stream[string]("http://"+ln.Addr().String(), &client.Options{Retry: time.Hour}).Subscribe(t.Context(), rec)
	rec.waitN(t, 3)
	sub.Unsubscribe()
	<-sub.Done()
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < 3; i++ {
		if gap := times[i].Sub(times[i-1]); gap < hint/2 || gap > hint+200*time.Millisecond {
			t.Errorf("reconnection %d after %v, want %v to %v", i, gap, hint/2, hint)
		}
	}
}

// 204 completes the stream, 401 fails it, and neither is retried, as for
// EventSource.
func TestStatusEndsStream(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/204", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/401", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, `{"message":"Unauthorized","statusCode":401}`, http.StatusUnauthorized)
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("{}"))
	})
	mux.Handle("/error", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		requests.Add(1)
		return rx.Concat(rx.Of("a"), rx.Throw[string](httperr.New(http.StatusConflict, "gone wrong"))), nil
	}, nil))
	srv, base := serve(t, mux)
	opts := &client.Options{Client: srv, Retry: time.Millisecond}

	for _, tt := range []struct {
		path  string
		check func(vals []string, err error) bool
	}{
		{"/204", func(vals []string, err error) bool { return len(vals) == 0 && err == nil }},
		{"/401", func(vals []string, err error) bool {
			var se *client.StatusError
			return len(vals) == 0 && errors.As(err, &se) && se.StatusCode == 401 && se.Body != ""
		}},
		{"/json", func(vals []string, err error) bool { return len(vals) == 0 && errors.Is(err, client.ErrContentType) }},
		{"/error", func(vals []string, err error) bool {
			var ee *client.EventError
			return slices.Equal(vals, []string{"a"}) && errors.As(err, &ee) && ee.Message == "gone wrong" && ee.ID == "2"
		}},
	} {
		requests.Store(0)
		rec := newRecorder[string]()
		sub := client.Stream[string](base+tt.path, opts).Subscribe(t.Context(), rec)
		vals, err := rec.waitEnd(t)
		<-sub.Done()
		if !tt.check(vals, err) {
			t.Errorf("%s: got %q, %v", tt.path, vals, err)
		}
		time.Sleep(20 * time.Millisecond) // a wrong reconnection would come now
		if n := requests.Load(); n != 1 {
			t.Errorf("%s: %d requests, want 1", tt.path, n)
		}
	}
}

// Failed attempts back off, honour Retry-After, and give up after
// MaxAttempts.
func TestBackoff(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		times []time.Time
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	hc, base := serve(t, mux)
	rec := newRecorder[string]()
	const retry = 40 * time.Millisecond
	client.Stream[string](base+"/busy", &client.Options{Client: hc, Retry: retry, MaxRetry: 100 * time.Millisecond, MaxAttempts: 5}).Subscribe(t.Context(), rec)
	_, err := rec.waitEnd(t)
	var se *client.StatusError
	if !errors.As(err, &se) || se.StatusCode != 503 {
		t.Fatalf("err %v, want a 503 StatusError", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 5 {
		t.Fatalf("%d attempts, want 5", len(times))
	}
	// Waits before attempts 2..5: up to 40, 80, 100 (capped), 100 ms, each at
	// least half of it.
	for i, max := range []time.Duration{retry, 2 * retry, 100 * time.Millisecond, 100 * time.Millisecond} {
		if gap := times[i+1].Sub(times[i]); gap < max/2 || gap > max+100*time.Millisecond {
			t.Errorf("wait %d: %v, want %v to %v", i+1, gap, max/2, max)
		}
	}
}

func serve(t *testing.T, h http.Handler) (*http.Client, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	tr := &http.Transport{}
	t.Cleanup(func() {
		srv.Close()
		tr.CloseIdleConnections()
	})
	return &http.Client{Transport: tr}, "http://" + ln.Addr().String()
}

// Headers go with every request; cancelling the subscription ends the
// connection on both sides and leaves no goroutine (goleak checks).
func TestHeadersAndCancel(t *testing.T) {
	t.Parallel()
	hub := bus.NewMemory(nil)
	defer hub.Close()
	s := newServer(t, hub, nil)
	ctx, cancel := context.WithCancel(t.Context())
	rec := newRecorder[client.Event]()
	sub := client.Events(s.url(), &client.Options{Header: http.Header{"Authorization": {"Bearer t"}}}).Subscribe(ctx, rec)
	waitSubscribers(t, hub, 1)
	if _, err := hub.Publish(ctx, bus.ToAll(), "note", []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if got := rec.waitN(t, 1)[0]; got.Type != "note" || got.Data != "hi" || got.ID == "" {
		t.Errorf("event %+v", got)
	}
	if h := s.requests()[0]; h.Get("Authorization") != "Bearer t" || h.Get("Accept") != "text/event-stream" {
		t.Errorf("request headers %v", h)
	}
	cancel()
	<-sub.Done()
	waitSubscribers(t, hub, 0)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
		return rx.Of(
			sse.MessageEvent{Data: map[string]int{"n": 1}},
			sse.MessageEvent{Type: "other", Data: "skip me"},
			sse.MessageEvent{Data: map[string]int{"n": 2}},
		), nil
	}, nil))
	hc, base := serve(t, mux)
	opts := &client.Options{Client: hc, Types: []string{"message"}}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	recS := newRecorder[payload]()
	client.Stream[payload](base, opts).Subscribe(ctx, recS)
	if got := recS.waitN(t, 2); !slices.Equal(got[:2], numbers(1, 2)) {
		t.Errorf("JSON: %v", got)
	}
	recB := newRecorder[[]byte]()
	client.Stream[[]byte](base, opts).Subscribe(ctx, recB)
	if got := recB.waitN(t, 1); string(got[0]) != `{"n":1}` {
		t.Errorf("bytes: %q", got)
	}
	recE := newRecorder[int]()
	client.Stream[int](base, &client.Options{Client: hc}).Subscribe(ctx, recE)
	if _, err := recE.waitEnd(t); err == nil {
		t.Error("decoding an object into int: no error")
	}
}

// A stream served on POST gets its body again at every connection.
func TestPostStream(t *testing.T) {
	t.Parallel()
	var bodies atomic.Int64
	mux := http.NewServeMux()
	mux.Handle("POST /stream", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		b, err := io.ReadAll(r.Body)
		if err != nil || string(b) != `{"q":1}` || r.Header.Get("Content-Type") != "application/json" {
			return rx.Observable[string]{}, fmt.Errorf("body %q, %v", b, err)
		}
		bodies.Add(1)
		return rx.Of("x"), nil
	}, &sse.Options{Retry: time.Millisecond}))
	hc, base := serve(t, mux)
	got, err := rx.Collect(t.Context(), rx.Take(client.Stream[string](base+"/stream", &client.Options{
		Client: hc, Method: "POST", Body: []byte(`{"q":1}`),
	}), 3))
	if err != nil || len(got) != 3 || bodies.Load() < 3 {
		t.Errorf("got %q, %v, after %d requests with the body", got, err, bodies.Load())
	}
}
