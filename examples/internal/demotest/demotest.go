// Package demotest holds what the examples' tests share: a loopback server
// whose open streams end with the test, plain HTTP calls that return the
// exact status and body, and event streams read as a browser does.
package demotest

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

	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// Server is a loopback HTTP server for one test. It counts the requests
// for each path, and those still being served, so that a test can wait for
// a stream's handler to have returned.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	requests map[string]int
	active   map[string]int
	changed  chan struct{} // closed and replaced at every change of active
}

// Serve starts h on a loopback port. When the test ends, the requests still
// open (event streams) are cancelled, then the server is closed.
func Serve(t testing.TB, h http.Handler) *Server {
	t.Helper()
	s := &Server{requests: map[string]int{}, active: map[string]int{}, changed: make(chan struct{})}
	base, cancel := context.WithCancel(context.Background())
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A request is active until its stream context ends: an SSE stream
		// outlives its handler once sse takes the connection over.
		r = sse.WithStreamContext(r)
		path := r.URL.Path
		s.count(path, 1, 1)
		context.AfterFunc(r.Context(), func() { s.count(path, 0, -1) })
		h.ServeHTTP(w, r)
	}))
	s.Config.BaseContext = func(net.Listener) context.Context { return base }
	s.Start()
	t.Cleanup(func() {
		cancel()
		s.Close()
	})
	return s
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

// WaitActive waits until exactly n requests for path are being served (the
// others have ended, their streams too), for at most timeout.
func (s *Server) WaitActive(t testing.TB, path string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
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
			t.Fatalf("%d requests for %s still served after %v, want %d", got, path, timeout, n)
		}
	}
}

// Response is what a plain HTTP call answered.
type Response struct {
	Status      int
	ContentType string
	Header      http.Header
	Body        string
}

// Do sends a request with a body ("" for none) and the given header
// pairs ("Content-Type", "application/json", …) and reads the whole answer.
func Do(t testing.TB, method, url, body string, header ...string) Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Header: resp.Header, Body: string(b)}
}

// PostJSON posts a JSON body.
func PostJSON(t testing.TB, url, body string, header ...string) Response {
	t.Helper()
	return Do(t, http.MethodPost, url, body, append([]string{"Content-Type", "application/json"}, header...)...)
}

// Open opens an event stream with the given header pairs; it is closed when
// the test ends.
func Open(t testing.TB, url string, header ...string) *ssetest.Stream {
	t.Helper()
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	s, err := ssetest.Open(t.Context(), nil, url, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Next reads the next n events of s, failing the test if they do not come
// within timeout.
func Next(t testing.TB, s *ssetest.Stream, n int, timeout time.Duration) []ssetest.Event {
	t.Helper()
	type result struct {
		evs []ssetest.Event
		err error
	}
	done := make(chan result, 1)
	go func() {
		evs, err := s.ReadN(n)
		done <- result{evs, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("reading %d events: got %d: %v", n, len(r.evs), r.err)
		}
		return r.evs
	case <-time.After(timeout):
		s.Close() // unblocks the reader
		<-done
		t.Fatalf("no %d events within %v", n, timeout)
		return nil
	}
}
