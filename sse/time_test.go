package sse_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

func TestHeartbeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		subject := rx.NewSubject[string]()
		l, stop := pipeServer(sse.Handler(just(subject.AsObservable()), nil))
		defer stop()
		c := l.get(t, "/", true)
		defer c.close()

		step := func(d time.Duration, want string) {
			t.Helper()
			time.Sleep(d)
			synctest.Wait()
			if got := c.Body(); got != want {
				t.Fatalf("at %v: body %q, want %q", d, got, want)
			}
		}
		step(0, "\n")
		step(10*time.Second, "\n") // t=10s
		subject.Next("a")
		step(0, "\nid: 1\ndata: a\n\n")
		// The heartbeat counts from the last write (t=10s), not from the start.
		step(15*time.Second-time.Nanosecond, "\nid: 1\ndata: a\n\n")
		step(time.Nanosecond, "\nid: 1\ndata: a\n\n: heartbeat\n\n") // t=25s
		step(15*time.Second, "\nid: 1\ndata: a\n\n: heartbeat\n\n: heartbeat\n\n")
	})
}

func TestHeartbeatConfigurableAndOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mux := http.NewServeMux()
		mux.Handle("/fast", sse.Handler(just(rx.Never[string]()), &sse.Options{Heartbeat: time.Second}))
		mux.Handle("/off", sse.Handler(just(rx.Never[string]()), &sse.Options{Heartbeat: -1}))
		l, stop := pipeServer(mux)
		defer stop()
		fast, off := l.get(t, "/fast", true), l.get(t, "/off", true)
		defer fast.close()
		defer off.close()
		time.Sleep(3*time.Second + time.Millisecond)
		synctest.Wait()
		if got := fast.Body(); got != "\n: heartbeat\n\n: heartbeat\n\n: heartbeat\n\n" {
			t.Errorf("1 s heartbeat after 3 s: %q", got)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if got := off.Body(); got != "\n" {
			t.Errorf("heartbeat off after an hour: %q", got)
		}
	})
}

// A peer that stops reading is dropped when a write exceeds the write
// timeout, and its subscription is torn down.
func TestWriteTimeoutDropsStalledPeer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tornDown atomic.Bool
		h, done := returned(sse.Handler(just(rx.Create(func(s rx.Subscriber[string]) func() {
			s.Next("x")
			return func() { tornDown.Store(true) }
		})), &sse.Options{WriteTimeout: 5 * time.Second}))
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", false) // never reads: the first write blocks
		defer c.close()

		time.Sleep(5*time.Second - time.Millisecond)
		synctest.Wait()
		if tornDown.Load() || len(done) != 0 {
			t.Fatal("stream ended before the write timeout")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if !tornDown.Load() || len(done) != 1 {
			t.Fatalf("stream still open after the write timeout (torn down %v)", tornDown.Load())
		}
	})
}

// The write timeout applies to each write, not to the stream: a stream
// lives longer than http.Server's WriteTimeout and the option's.
func TestWriteTimeoutIsPerWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := sse.Handler(just(rx.Map(rx.Take(rx.Interval(3*time.Second), 5), func(n int) int { return n })),
			&sse.Options{WriteTimeout: 5 * time.Second})
		l := newPipeListener()
		srv := &http.Server{Handler: h, WriteTimeout: time.Second, ReadTimeout: time.Second}
		served := make(chan struct{})
		go func() { defer close(served); srv.Serve(l) }()
		c := l.get(t, "/", true)
		time.Sleep(20 * time.Second)
		synctest.Wait()
		want := "\nid: 1\ndata: 0\n\nid: 2\ndata: 1\n\nid: 3\ndata: 2\n\nid: 4\ndata: 3\n\nid: 5\ndata: 4\n\n"
		if got := c.Body(); got != want {
			t.Errorf("after 20 s: %q", got)
		}
		c.close()
		srv.Close()
		<-served
	})
}
