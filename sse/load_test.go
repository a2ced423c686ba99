package sse_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// liveHeap returns the heap in use after garbage collection (twice, so that
// sync.Pool caches are emptied too).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// 10,000 clients connect, read the first event and drop: every subscription
// is torn down, every handler returns, and the goroutine count and the heap
// come back to where they were.
func TestConnectAndDrop10000(t *testing.T) {
	const clients, workers = 10_000, 32
	var subscribed, tornDown, returnedN atomic.Int64
	h := sse.Handler(just(rx.Create(func(s rx.Subscriber[string]) func() {
		subscribed.Add(1)
		s.Next("hello")
		// A timer per stream, as a real source would hold.
		t := time.AfterFunc(time.Hour, func() { s.Next("late") })
		return func() {
			t.Stop()
			tornDown.Add(1)
		}
	})), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer returnedN.Add(1)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	transport := &http.Transport{DisableKeepAlives: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}

	connectAndDrop := func(n int) {
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range workers {
			wg.Go(func() {
				for next.Add(1) <= int64(n) {
					ctx, cancel := context.WithCancel(t.Context())
					st, err := ssetest.Open(ctx, client, srv.URL, nil)
					if err != nil {
						t.Error(err)
						cancel()
						return
					}
					if ev, err := st.Next(); err != nil || ev.Data != "hello" {
						t.Errorf("first event %+v, %v", ev, err)
					}
					cancel()
					st.Close()
				}
			})
		}
		wg.Wait()
	}
	settle := func(total int64) {
		waitFor(t, 30*time.Second, "handlers to return", func() bool {
			return returnedN.Load() == total && tornDown.Load() == total
		})
	}

	connectAndDrop(100) // warm up pools, timers and the shutdown group
	settle(100)
	goroutines := runtime.NumGoroutine()
	heap := liveHeap()

	connectAndDrop(clients)
	settle(clients + 100)
	if got := subscribed.Load(); got != clients+100 {
		t.Errorf("subscribed %d, want %d", got, clients+100)
	}
	waitFor(t, 10*time.Second, "goroutines back at baseline", func() bool {
		return runtime.NumGoroutine() <= goroutines
	})
	// A leak of even 100 bytes per connection would show as 1 MB.
	if after := liveHeap(); after > heap+512<<10 {
		t.Errorf("live heap grew from %d to %d bytes after %d connections", heap, after, clients)
	}
	t.Logf("goroutines %d → %d, live heap %d → %d bytes", goroutines, runtime.NumGoroutine(), heap, liveHeap())
}

// smallBufferListener shrinks the kernel send buffer of each connection, so
// that a peer that stops reading blocks the server's writes quickly.
type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// One client stops reading among 1,000 that read: the publisher never
// waits, every live client receives every event, byte for byte, and the
// stalled one is disconnected by the default policy once its queue is full,
// so its memory is released.
func TestStalledClientAmongLiveOnes(t *testing.T) {
	const live, queue = 1000, 16
	events := 200
	if raceEnabled {
		events = 60 // the race detector slows delivery tenfold
	}
	logger, logs := testLogger()
	subject := rx.NewSubject[*sse.Encoded]()
	var ready atomic.Int64
	var stalledGone atomic.Bool
	fn := func(w http.ResponseWriter, r *http.Request) (rx.Observable[*sse.Encoded], error) {
		return rx.Create(func(s rx.Subscriber[*sse.Encoded]) func() {
			sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[*sse.Encoded]{OnNext: s.Next, OnComplete: s.Complete})
			ready.Add(1)
			return sub.Unsubscribe
		}), nil
	}
	// Live clients have the default queue, which a publisher running flat
	// out on two cores does not fill; the stalled one has a small queue, so
	// that it overflows before the test ends.
	liveHandler := sse.Handler(fn, &sse.Options{Logger: logger})
	// Its write timeout is long, so that only the queue policy can end it.
	stalledHandler := sse.Handler(fn, &sse.Options{QueueSize: queue, WriteTimeout: time.Minute, Logger: logger})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stalled" {
			stalledHandler.ServeHTTP(w, r)
			return
		}
		liveHandler.ServeHTTP(w, r)
	})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/stalled" {
			stalledGone.Store(true)
		}
	}))
	srv.Listener = smallBufferListener{srv.Listener}
	srv.Start()
	defer srv.Close()

	// The receive buffer must be small before connecting: the window is
	// negotiated then.
	dialer := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		return errors.Join(err, serr)
	}}
	stalled, err := dialer.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	if _, err := io.WriteString(stalled, "GET /stalled HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}

	pad := strings.Repeat("x", 1000)
	var want strings.Builder
	want.WriteString("\n")
	encoded := make([]*sse.Encoded, events)
	for i := range encoded {
		data := fmt.Sprintf("%d %s", i, pad)
		encoded[i], _ = sse.Encode(sse.MessageEvent{Data: data})
		fmt.Fprintf(&want, "id: %d\ndata: %s\n\n", i+1, data)
	}

	transport := &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: live}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	var wg sync.WaitGroup
	bodies := make([]string, live)
	for i := range live {
		wg.Go(func() {
			resp, err := client.Get(srv.URL + "/live")
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Error(err)
			}
			bodies[i] = string(b)
		})
	}
	waitFor(t, 30*time.Second, "all clients subscribed", func() bool { return ready.Load() == live+1 })

	start := time.Now()
	var slowest time.Duration
	for _, e := range encoded {
		t0 := time.Now()
		subject.Next(e)
		slowest = max(slowest, time.Since(t0))
	}
	subject.Complete()
	wg.Wait()
	elapsed := time.Since(start)
	for i, b := range bodies {
		if b != want.String() {
			t.Fatalf("live client %d got %d bytes, want %d", i, len(b), want.Len())
		}
	}
	waitFor(t, 10*time.Second, "the stalled stream to end", stalledGone.Load)
	if !strings.Contains(logs.String(), "slow client disconnected") {
		t.Errorf("stalled client not disconnected by policy; log: %s", logs)
	}
	t.Logf("%d events to %d live clients in %v (%.0f events/s delivered); slowest publish to all %v",
		events, live, elapsed, float64(events*live)/elapsed.Seconds(), slowest)
	// A publisher blocked on the stalled peer would wait for its write
	// timeout (a minute); the machine may be loaded, hence the margin.
	if slowest > 5*time.Second {
		t.Errorf("a publish took %v: the publisher waited for a client", slowest)
	}
}
