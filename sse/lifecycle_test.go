package sse_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// returned wraps h and reports each time its ServeHTTP returns.
func returned(h http.Handler) (http.Handler, <-chan struct{}) {
	done := make(chan struct{}, 100)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		h.ServeHTTP(w, r)
	}), done
}

func TestClientGoneBeforeHandlerReturnedIsNeverSubscribed(t *testing.T) {
	t.Parallel()
	var subscribed atomic.Bool
	entered := make(chan struct{})
	h, done := returned(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		close(entered)
		<-r.Context().Done() // a slow guard: the client gives up meanwhile
		return rx.Create(func(s rx.Subscriber[string]) func() {
			subscribed.Store(true)
			return nil
		}), nil
	}, nil))
	srv := httptestServer(t, h)
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	go func() { <-entered; cancel() }()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("Do: %v", err)
	}
	<-done
	if subscribed.Load() {
		t.Error("the stream was subscribed after its client left")
	}
}

func TestDisconnectTearsDown(t *testing.T) {
	t.Parallel()
	tornDown := make(chan struct{})
	h, done := returned(sse.Handler(just(rx.Create(func(s rx.Subscriber[string]) func() {
		s.Next("first")
		return func() { close(tornDown) }
	})), nil))
	srv := httptestServer(t, h)
	ctx, cancel := context.WithCancel(t.Context())
	st, err := ssetest.Open(ctx, nil, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := st.Next(); err != nil || ev.Data != "first" {
		t.Fatalf("Next: %+v %v", ev, err)
	}
	cancel()
	st.Close()
	<-tornDown
	<-done
}

func TestLastEventID(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, nil, func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Of("resume after " + sse.LastEventID(r)), nil
	})
	for _, tt := range []struct {
		path   string
		header http.Header
		want   string
	}{
		{"/", http.Header{"Last-Event-Id": {"41"}}, "resume after 41"},
		{"/?lastEventId=7", nil, "resume after 7"},
		{"/?lastEventId=7", http.Header{"Last-Event-Id": {"41"}}, "resume after 41"},
		{"/", nil, "resume after "},
	} {
		_, body := fetch(t, nil, http.MethodGet, srv.URL+tt.path, tt.header)
		if want := "\nid: 1\ndata: " + tt.want + "\n\n"; body != want {
			t.Errorf("%s %v: %q, want %q", tt.path, tt.header, body, want)
		}
	}
}

func TestMaxStreams(t *testing.T) {
	t.Parallel()
	opts := &sse.Options{MaxStreams: 2, RetryAfter: 1500 * time.Millisecond}
	srv := serveStream(t, opts, just(rx.Never[string]()))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var open []*ssetest.Stream
	for range 2 {
		st, err := ssetest.Open(ctx, nil, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, st)
	}
	resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	if resp.StatusCode != 503 || body != `{"message":"too many open streams","error":"Service Unavailable","statusCode":503}` {
		t.Errorf("over the limit: %d %s", resp.StatusCode, body)
	}
	if ra := resp.Header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2", ra)
	}
	// Closing one stream makes room.
	open[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := ssetest.Open(ctx, nil, srv.URL, nil)
		if err == nil {
			st.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no room after a stream closed: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	open[1].Close()
}

// http.Server.Shutdown ends open streams cleanly, with nothing to wire:
// clients read what was queued and a normal end of stream.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 3)
	subject := rx.NewSubject[string]()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Create(func(s rx.Subscriber[string]) func() {
			sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[string]{OnNext: s.Next})
			started <- struct{}{}
			return sub.Unsubscribe
		}), nil
	}, nil)}
	go srv.Serve(ln)
	var streams []*ssetest.Stream
	for range 3 {
		st, err := ssetest.Open(t.Context(), nil, "http://"+ln.Addr().String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, st)
		<-started
	}
	subject.Next("before shutdown")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for i, st := range streams {
		evs, err := st.ReadAll()
		if err != nil || len(evs) != 1 || evs[0].Data != "before shutdown" {
			t.Errorf("stream %d: %+v, %v; want one event then a clean end", i, evs, err)
		}
		st.Close()
	}
}

// A handler may answer by itself (a redirect, say): no stream is served.
func TestHandlerAnswersItself(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, nil, func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "not a stream")
		return rx.Of("never"), nil
	})
	resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	if resp.StatusCode != http.StatusTeapot || body != "not a stream" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("got %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

// Serve also works for a ResponseWriter outside an http.Server (no shutdown
// group): a recorder.
func TestServeWithRecorder(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	sse.Serve(rec, req, rx.Of("a", "b"), 0, &sse.Options{Heartbeat: -1})
	if rec.Code != 200 || rec.Body.String() != "\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body.String())
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream") {
		t.Errorf("headers %v", rec.Header())
	}
}
