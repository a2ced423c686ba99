package sse_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// The broadcast benchmark: one publisher, 1,000 connections over loopback,
// 200 events of 64 bytes per round, measured as delivered events per second
// against a minimal hand-written net/http server that does the same (each
// event encoded once, everything queued for a connection written in one
// Write and one Flush). Both send the same bytes.
const (
	benchConns  = 1000
	benchEvents = 200
	benchSize   = 64
)

// publisher is one of the servers under test.
type publisher interface {
	http.Handler
	// publish sends one event with the given data to every connection.
	publish(data string)
}

func BenchmarkBroadcast(b *testing.B) {
	for _, variant := range []struct {
		name string
		make func() publisher
	}{
		{"encoded", func() publisher { return newRxsse(true) }},
		{"event", func() publisher { return newRxsse(false) }},
		{"bus", newBusServer},
	} {
		// The machine may be shared: both servers run side by side and
		// rounds alternate between them, so that both see the same load.
		b.Run(variant.name, func(b *testing.B) {
			base := startBroadcast(b, newHandwritten())
			defer base.close()
			ours := startBroadcast(b, variant.make())
			defer ours.close()
			var tBase, tOurs time.Duration
			for b.Loop() {
				tBase += base.round()
				tOurs += ours.round()
			}
			n := float64(b.N * benchConns * benchEvents)
			b.ReportMetric(n/tOurs.Seconds(), "events/s")
			b.ReportMetric(n/tBase.Seconds(), "baseline-events/s")
			b.ReportMetric(tBase.Seconds()/tOurs.Seconds(), "x-baseline")
			b.ReportMetric(float64(ours.writes.Load())/n, "writes/event")
			b.ReportMetric(float64(base.writes.Load())/n, "baseline-writes/event")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// broadcastRun is a server under test with its connected clients.
type broadcastRun struct {
	b        *testing.B
	p        publisher
	srv      *httptest.Server
	conns    []net.Conn
	wg       sync.WaitGroup
	ready    atomic.Int64
	received atomic.Int64
	target   atomic.Int64
	reached  chan struct{}
	want     int64
	data     []string
	writes   atomic.Int64
}

func startBroadcast(b *testing.B, p publisher) *broadcastRun {
	r := &broadcastRun{b: b, p: p, reached: make(chan struct{}, 1)}
	r.srv = httptest.NewUnstartedServer(p)
	r.srv.Listener = countingListener{r.srv.Listener, &r.writes}
	r.srv.Start()
	r.target.Store(-1)
	for range benchConns {
		c, err := net.Dial("tcp", r.srv.Listener.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		r.conns = append(r.conns, c)
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
			b.Fatal(err)
		}
		r.wg.Go(func() { countEvents(c, &r.ready, &r.received, &r.target, r.reached) })
	}
	// Both servers send the headers once the connection is subscribed.
	for r.ready.Load() < benchConns {
		time.Sleep(time.Millisecond)
	}
	r.data = make([]string, benchEvents)
	for i := range r.data {
		d := fmt.Sprintf(`{"seq":%d,"pad":"`, i)
		r.data[i] = d + string(bytes.Repeat([]byte("x"), benchSize-len(d)-2)) + `"}`
	}
	r.writes.Store(0)
	return r
}

// round publishes the events and waits until every client has them all.
func (r *broadcastRun) round() time.Duration {
	start := time.Now()
	r.want += benchConns * benchEvents
	r.target.Store(r.want)
	for _, d := range r.data {
		r.p.publish(d)
	}
	for r.received.Load() < r.want {
		<-r.reached
	}
	return time.Since(start)
}

func (r *broadcastRun) close() {
	for _, c := range r.conns {
		c.Close()
	}
	r.wg.Wait()
	r.srv.Close()
}

// countingListener counts the writes to the connections it accepts.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.n.Add(1)
	return c.Conn.Write(p)
}

// countEvents reads a response and counts the blank lines that end events.
func countEvents(c net.Conn, ready, received, target *atomic.Int64, reached chan<- struct{}) {
	resp, err := http.ReadResponse(bufio.NewReaderSize(c, 32<<10), nil)
	if err != nil {
		return
	}
	ready.Add(1)
	buf := make([]byte, 32<<10)
	var last byte
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			k := 0
			if last == '\n' && buf[0] == '\n' {
				k++
			}
			k += bytes.Count(buf[:n], []byte("\n\n"))
			last = buf[n-1]
			if k > 0 && received.Add(int64(k)) >= target.Load() {
				select {
				case reached <- struct{}{}:
				default:
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// rxsseServer serves a Subject with sse.Handler, as a user would.
type rxsseServer struct {
	http.Handler
	encoded bool
	events  *rx.Subject[sse.MessageEvent]
	frames  *rx.Subject[*sse.Encoded]
}

func newRxsse(encoded bool) publisher {
	s := &rxsseServer{encoded: encoded, events: rx.NewSubject[sse.MessageEvent](), frames: rx.NewSubject[*sse.Encoded]()}
	if encoded {
		s.Handler = sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[*sse.Encoded], error) {
			return s.frames.AsObservable(), nil
		}, nil)
	} else {
		s.Handler = sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
			return s.events.AsObservable(), nil
		}, nil)
	}
	return s
}

func (s *rxsseServer) publish(data string) {
	if s.encoded {
		e, err := sse.Encode(sse.MessageEvent{Data: data})
		if err != nil {
			panic(err)
		}
		s.frames.Next(e)
		return
	}
	s.events.Next(sse.MessageEvent{Data: data})
}

// busServer is the users' path: a route that returns a bus hub's stream as
// it is, and a publish to everyone. The events carry the bus's ids.
type busServer struct {
	http.Handler
	hub *bus.Memory
}

func newBusServer() publisher {
	hub := bus.NewMemory(nil)
	return &busServer{hub: hub, Handler: sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[*bus.Message], error) {
		return hub.Subscribe(r.Context(), bus.Recipient{}), nil
	}, nil)}
}

func (s *busServer) publish(data string) {
	if _, err := s.hub.Publish(context.Background(), bus.ToAll(), "", []byte(data)); err != nil {
		panic(err)
	}
}

// handwritten is the baseline: the least a net/http SSE broadcaster does.
type handwritten struct {
	mu    sync.Mutex
	conns map[*hwConn]struct{}
	seq   int
}

type hwConn struct {
	mu   sync.Mutex
	buf  []byte
	wake chan struct{}
}

func newHandwritten() publisher { return &handwritten{conns: map[*hwConn]struct{}{}} }

func (h *handwritten) publish(data string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	frame := append(strconv.AppendInt([]byte("id: "), int64(h.seq), 10), "\ndata: "...)
	frame = append(append(frame, data...), "\n\n"...)
	for c := range h.conns {
		c.mu.Lock()
		c.buf = append(c.buf, frame...)
		c.mu.Unlock()
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

func (h *handwritten) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	c := &hwConn{wake: make(chan struct{}, 1)}
	h.mu.Lock()
	h.conns[c] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.conns, c)
		h.mu.Unlock()
	}()
	if _, err := io.WriteString(w, "\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	var spare []byte
	for {
		select {
		case <-c.wake:
		case <-r.Context().Done():
			return
		}
		c.mu.Lock()
		out := c.buf
		c.buf = spare[:0]
		c.mu.Unlock()
		if _, err := w.Write(out); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		spare = out
	}
}
