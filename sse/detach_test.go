package sse_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// readUntil waits (in the bubble) until c has read want.
func readUntil(t *testing.T, c *pipeClient, want string) {
	t.Helper()
	synctest.Wait()
	if got := c.Body(); got != want {
		t.Fatalf("body %q, want %q", got, want)
	}
}

// An HTTP/1.1 stream leaves ServeHTTP once its headers are out, and goes on.
func TestDetachedStreamOutlivesServeHTTP(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		subject := rx.NewSubject[string]()
		h, returnedC := returned(sse.Handler(just(subject.AsObservable()), nil))
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", true)
		readUntil(t, c, "\n")
		if len(returnedC) != 1 {
			t.Fatal("ServeHTTP has not returned after the headers")
		}
		subject.Next("a")
		subject.Next("b")
		readUntil(t, c, "\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n")
		subject.Complete()
		<-c.done
		if c.err != nil {
			t.Fatalf("stream did not end cleanly: %v", c.err)
		}
		c.close()
	})
}

// With Options.Attached, ServeHTTP runs until the stream ends.
func TestAttachedOption(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		subject := rx.NewSubject[string]()
		h, returnedC := returned(sse.Handler(just(subject.AsObservable()), &sse.Options{Attached: true}))
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", true)
		readUntil(t, c, "\n")
		subject.Next("a")
		readUntil(t, c, "\nid: 1\ndata: a\n\n")
		if len(returnedC) != 0 {
			t.Fatal("ServeHTTP returned while the stream is open")
		}
		subject.Complete()
		<-c.done
		synctest.Wait()
		if len(returnedC) != 1 || c.err != nil {
			t.Fatalf("returned %d, err %v", len(returnedC), c.err)
		}
		c.close()
	})
}

// A body encoded by a middleware (Content-Encoding) keeps the stream in the
// middleware's writer.
func TestContentEncodingStaysAttached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner, returnedC := returned(sse.Handler(just(rx.Never[string]()), nil))
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "identity")
			inner.ServeHTTP(w, r)
		})
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", true)
		readUntil(t, c, "\n")
		if len(returnedC) != 0 {
			t.Fatal("stream detached despite Content-Encoding")
		}
		c.close()
		synctest.Wait()
		if len(returnedC) != 1 {
			t.Fatal("stream not ended by the client leaving")
		}
	})
}

// A detached peer that stops reading is dropped after the write timeout.
func TestDetachedWriteTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tornDown atomic.Bool
		subject := rx.NewSubject[string]()
		l, stop := pipeServer(sse.Handler(just(rx.Create(func(s rx.Subscriber[string]) func() {
			sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[string]{OnNext: s.Next})
			return func() {
				sub.Unsubscribe()
				tornDown.Store(true)
			}
		})), &sse.Options{WriteTimeout: 5 * time.Second}))
		defer stop()
		c := l.get(t, "/", false)
		// Read the response head, then stop reading.
		c.resumeHeadOnly(t)
		subject.Next("blocked") // the chunk write blocks: nobody reads
		time.Sleep(5*time.Second - time.Millisecond)
		synctest.Wait()
		if tornDown.Load() {
			t.Fatal("dropped before the write timeout")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if !tornDown.Load() {
			t.Fatal("still open after the write timeout")
		}
		c.close()
	})
}

// The slow client policies once the stream is detached: the first event's
// write is in progress (the client reads nothing), three fit in the queue.
func TestDetachedSlowClientPolicies(t *testing.T) {
	tests := []struct {
		policy sse.SlowClientPolicy
		want   string
	}{
		{sse.Disconnect, ""},
		{sse.DropNewest, numberedEvents(1, 2, 3, 4, 11)},
		{sse.DropOldest, numberedEvents(1, 8, 9, 10, 11)},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				logger, _ := testLogger()
				subject := rx.NewSubject[string]()
				l, stop := pipeServer(sse.Handler(just(subject.AsObservable()),
					&sse.Options{QueueSize: 3, SlowClient: tt.policy, Logger: logger}))
				defer stop()
				c := l.get(t, "/", false)
				c.resumeHeadOnly(t)
				for i := 1; i <= 10; i++ {
					subject.Next(fmt.Sprintf("e%d", i))
					synctest.Wait()
				}
				c.resumeBody()
				synctest.Wait()
				subject.Next("e11")
				subject.Complete()
				<-c.done
				if got := c.Body(); got != tt.want {
					t.Errorf("body after the head %q\nwant %q", got, tt.want)
				}
				if dropped := c.err != nil; dropped != (tt.policy == sse.Disconnect) {
					t.Errorf("connection dropped = %v (%v)", dropped, c.err)
				}
				c.close()
			})
		})
	}
}

// Streams.Shutdown returns once every detached stream has written its end.
func TestShutdownWaitsForDetachedStreams(t *testing.T) {
	t.Parallel()
	subject := rx.NewSubject[string]()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var ended atomic.Int64
	account := new(sse.Streams)
	srv := &http.Server{Handler: sse.Handler(just(rx.Create(func(s rx.Subscriber[string]) func() {
		sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[string]{OnNext: s.Next})
		return func() {
			sub.Unsubscribe()
			ended.Add(1)
		}
	})), &sse.Options{Streams: account})}
	go srv.Serve(ln)
	var streams []*ssetest.Stream
	for range 5 {
		st, err := ssetest.Open(t.Context(), nil, "http://"+ln.Addr().String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, st)
	}
	subject.Next("last words")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := account.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ended.Load(); n != 5 {
		t.Errorf("%d of 5 streams torn down when Shutdown returned", n)
	}
	for i, st := range streams {
		evs, err := st.ReadAll()
		if err != nil || len(evs) != 1 || evs[0].Data != "last words" {
			t.Errorf("stream %d: %v %v", i, evs, err)
		}
		st.Close()
	}
}

// Over TLS (HTTP/1.1) the stream detaches too: the connection taken over is
// the TLS one.
func TestDetachedOverTLS(t *testing.T) {
	t.Parallel()
	subject := rx.NewSubject[string]()
	tornDown := make(chan struct{})
	h, returnedC := returned(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Create(func(s rx.Subscriber[string]) func() {
			sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[string]{OnNext: s.Next})
			return func() {
				sub.Unsubscribe()
				close(tornDown)
			}
		}), nil
	}, nil))
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	st, err := ssetest.Open(ctx, srv.Client(), srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Response.ProtoMajor != 1 || st.Response.TLS == nil {
		t.Fatalf("want HTTP/1.1 over TLS, got %s", st.Response.Proto)
	}
	<-returnedC // detached
	subject.Next("secret")
	if ev, err := st.Next(); err != nil || ev.Data != "secret" || ev.LastEventID != "1" {
		t.Fatalf("Next: %+v %v", ev, err)
	}
	cancel()
	st.Close()
	<-tornDown
}
