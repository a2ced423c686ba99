package ssetest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a loopback HTTP server for one test, for a handler that serves
// event streams. It counts, per path, the requests received and those still
// being served, a stream counting until it ends, even once it has left its
// handler (see sse.Serve on detached streams); WaitStreams waits for a
// number of them. When the test ends, its open streams are cut and the
// server is closed.
type Server struct {
	*httptest.Server

	mu sync.Mutex
	// requests and active count per path.
	requests map[string]int
	active   map[string]int
	changed  chan struct{} // closed and replaced at every change of active
	conns    map[*trackedConn]struct{}
}

// NewServer starts h on a loopback port for the test t.
func NewServer(t testing.TB, h http.Handler) *Server {
	t.Helper()
	s := &Server{requests: map[string]int{}, active: map[string]int{}, changed: make(chan struct{}), conns: map[*trackedConn]struct{}{}}
	base, cancel := context.WithCancel(context.Background())
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		s.count(path, 1, 1)
		h.ServeHTTP(w, r)
		// A stream that took its connection over (Hijack) is served until
		// the connection closes.
		if c, ok := r.Context().Value(connKey{}).(*trackedConn); ok && c.hijacked() {
			go func() {
				<-c.closed
				s.count(path, 0, -1)
			}()
			return
		}
		s.count(path, 0, -1)
	}))
	s.Listener = &trackingListener{Listener: s.Listener, s: s}
	s.Config.BaseContext = func(net.Listener) context.Context { return base }
	s.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	s.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if tc, ok := c.(*trackedConn); ok && st == http.StateHijacked {
			tc.mu.Lock()
			tc.hijack = true
			tc.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(func() {
		cancel()
		s.Close()
	})
	return s
}

// Close ends the open streams, then closes the server. httptest.Server's
// own Close does not end streams (net/http tells no handler, and waits for
// the streams that stay in their handlers): Close shuts the server down
// first, which ends the streams of every sse.Streams account that served
// through it, gives them a moment to write their last bytes, then cuts the
// connections that are left. It is called when the test ends.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.Config.Shutdown(ctx) // ends the streams; waits for those in handlers
	s.waitIdle(ctx)
	s.mu.Lock()
	open := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, c := range open {
		c.Close() // the streams that left net/http and did not end in time
	}
	s.Server.Close()
}

// waitIdle waits until no request is being served, streams
// included, or ctx ends.
func (s *Server) waitIdle(ctx context.Context) {
	for {
		s.mu.Lock()
		n, changed := 0, s.changed
		for _, a := range s.active {
			n += a
		}
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

func (s *Server) count(path string, req, active int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[path] += req
	s.active[path] += active
	close(s.changed)
	s.changed = make(chan struct{})
}

// Requests returns how many requests for path the server has received.
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// WaitStreams waits until exactly n requests for path are being served
// (streams included, until they end), failing t after DefaultTimeout.
// WaitStreams(t, path, 0) checks that a path's streams have ended, their
// subscriptions torn down with them.
func (s *Server) WaitStreams(t testing.TB, path string, n int) {
	t.Helper()
	deadline := time.NewTimer(DefaultTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := s.active[path], s.changed
		s.mu.Unlock()
		if got == n {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("ssetest: %d requests for %s being served after %v, want %d", got, path, DefaultTimeout, n)
		}
	}
}

// Connect opens the stream at path (with its query) on s: see Connect. It
// and the other methods use s.Client(), whose connections end with s.
func (s *Server) Connect(t testing.TB, path string, header ...string) *Conn {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatalf("ssetest: %v", err)
	}
	setPairs(t, req.Header, header)
	return connect(t, s.Client(), req)
}

// ConnectJSON posts body as JSON to path on s and reads the stream it
// answers: see ConnectJSON.
func (s *Server) ConnectJSON(t testing.TB, path, body string, header ...string) *Conn {
	t.Helper()
	return connect(t, s.Client(), jsonRequest(t, s.URL+path, body, header))
}

// Do sends a request to path on s: see Do.
func (s *Server) Do(t testing.TB, method, path, body string, header ...string) Response {
	t.Helper()
	return do(t, s.Client(), method, s.URL+path, body, header)
}

// PostJSON posts a JSON body to path on s: see PostJSON.
func (s *Server) PostJSON(t testing.TB, path, body string, header ...string) Response {
	t.Helper()
	return do(t, s.Client(), http.MethodPost, s.URL+path, body, append([]string{"Content-Type", "application/json"}, header...))
}

type connKey struct{}

// trackingListener hands out connections whose end a Server can wait for.
type trackingListener struct {
	net.Listener
	s *Server
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, closed: make(chan struct{}), s: l.s}
	l.s.mu.Lock()
	l.s.conns[tc] = struct{}{}
	l.s.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	s      *Server
	mu     sync.Mutex
	hijack bool
	once   sync.Once
	closed chan struct{}
}

func (c *trackedConn) hijacked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hijack
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		close(c.closed)
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return err
}

// Response is what a plain HTTP call answered.
type Response struct {
	Status      int
	ContentType string
	Header      http.Header
	Body        string
}

// Do sends a request with a body ("" for none) and header pairs
// ("Authorization", "Bearer x", …) with http.DefaultClient, and reads the
// whole answer, failing the test if it cannot.
func Do(t testing.TB, method, url, body string, header ...string) Response {
	t.Helper()
	return do(t, http.DefaultClient, method, url, body, header)
}

func do(t testing.TB, client *http.Client, method, url, body string, header []string) Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatalf("ssetest: %v", err)
	}
	setPairs(t, req.Header, header)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("ssetest: %s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("ssetest: %s %s: reading the body: %v", method, url, err)
	}
	return Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Header: resp.Header, Body: string(b)}
}

// PostJSON posts body with Content-Type application/json: see Do.
func PostJSON(t testing.TB, url, body string, header ...string) Response {
	t.Helper()
	return Do(t, http.MethodPost, url, body, append([]string{"Content-Type", "application/json"}, header...)...)
}

// Subscribers is anything that counts its subscribers, such as the bus
// hubs (bus.Memory, redisbus.Hub).
type Subscribers interface {
	Subscribers() int
}

// WaitSubscribers waits until hub has exactly n subscribers, failing the
// test after DefaultTimeout: a test that publishes after a client connected
// waits first for the client's subscription to be registered.
func WaitSubscribers(t testing.TB, hub Subscribers, n int) {
	t.Helper()
	deadline := time.Now().Add(DefaultTimeout)
	for {
		got := hub.Subscribers()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssetest: %d subscribers after %v, want %d", got, DefaultTimeout, n)
		}
		time.Sleep(time.Millisecond)
	}
}
