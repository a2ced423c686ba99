// Package baseline is the yardstick of the benchmarks: a minimal hand-written
// net/http server for the benchmark contract, with nothing between the
// publisher and the socket but what the job needs. Each event is encoded
// once for all connections; each connection has a bounded queue of frames
// that its handler goroutine writes in one Write and one Flush.
package baseline

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// QueueSize is the most frames a connection may have waiting; a
	// connection whose queue is full when an event comes is closed (the
	// publisher never waits for a slow client). Default 4096.
	QueueSize int
	// Heartbeat, when positive, sends a comment line on a fanout connection
	// that had nothing to write for that long. Default off.
	Heartbeat time.Duration
}

// Server serves the benchmark contract. It is an http.Handler.
type Server struct {
	queueSize int
	heartbeat time.Duration
	mux       *http.ServeMux

	mu    sync.RWMutex
	conns map[*conn]struct{}
	count atomic.Int64
	// dropped counts connections closed because their queue was full.
	dropped atomic.Int64
}

// New returns a Server with opts (nil means defaults).
func New(opts *Options) *Server {
	s := &Server{queueSize: 4096, conns: make(map[*conn]struct{})}
	if opts != nil {
		if opts.QueueSize > 0 {
			s.queueSize = opts.QueueSize
		}
		s.heartbeat = opts.Heartbeat
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+contract.PathFanout, s.fanout)
	mux.HandleFunc("POST "+contract.PathPublish, s.publish)
	mux.HandleFunc("GET "+contract.PathSubscribers, s.subscribers)
	mux.HandleFunc("GET "+contract.PathForever, s.forever)
	mux.HandleFunc("GET "+contract.PathBurst, s.burst)
	mux.HandleFunc("GET "+contract.PathStats, stats)
	s.mux = mux
	return s
}

// ServeHTTP routes r to the contract's handlers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Dropped returns how many connections were closed because their queue was
// full.
func (s *Server) Dropped() int64 { return s.dropped.Load() }

// conn is one fanout connection's queue of encoded frames (the data part
// only: the id line is per connection).
type conn struct {
	mu       sync.Mutex
	queue    [][]byte
	overflow bool
	wake     chan struct{} // capacity 1: "the queue has something"
}

// push queues frame. When the queue is full it marks the connection to be
// closed instead, and reports whether this push was the one that did.
func (c *conn) push(frame []byte, limit int) (dropped bool) {
	c.mu.Lock()
	if c.overflow {
		c.mu.Unlock()
		return false
	}
	if len(c.queue) >= limit {
		c.overflow = true
		c.mu.Unlock()
		c.signal()
		return true
	}
	c.queue = append(c.queue, frame)
	c.mu.Unlock()
	c.signal()
	return false
}

func (c *conn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take swaps the queue for spare and returns what was queued.
func (c *conn) take(spare [][]byte) (batch [][]byte, overflow bool) {
	c.mu.Lock()
	batch, c.queue = c.queue, spare[:0]
	overflow = c.overflow
	c.mu.Unlock()
	return batch, overflow
}

func (s *Server) fanout(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	contract.SetSSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte{'\n'}); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}

	c := &conn{wake: make(chan struct{}, 1)}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.count.Add(1)
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.count.Add(-1)
	}()

	var (
		id    int64
		buf   []byte
		spare [][]byte
		beat  <-chan time.Time
		timer *time.Timer
	)
	if s.heartbeat > 0 {
		timer = time.NewTimer(s.heartbeat)
		defer timer.Stop()
		beat = timer.C
	}
	done := r.Context().Done()
	for {
		select {
		case <-done:
			return
		case <-beat:
			if _, err := w.Write([]byte(":\n\n")); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
			timer.Reset(s.heartbeat)
			continue
		case <-c.wake:
			// Let the publisher queue more before taking the batch: under
			// a broadcast this makes fewer, larger writes.
			runtime.Gosched()
		}
		batch, overflow := c.take(spare)
		if overflow {
			return
		}
		buf = buf[:0]
		for i, frame := range batch {
			id++
			buf = append(buf, "id: "...)
			buf = strconv.AppendInt(buf, id, 10)
			buf = append(buf, '\n')
			buf = append(buf, frame...)
			batch[i] = nil
		}
		spare = batch
		if len(buf) == 0 {
			continue
		}
		if _, err := w.Write(buf); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		if timer != nil {
			timer.Reset(s.heartbeat)
		}
	}
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	n, size, err := contract.ParseCounts(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var targets []*conn
	for seq := range n {
		frame := make([]byte, 0, size+64)
		frame = append(frame, "data: "...)
		frame = contract.AppendPayload(frame, time.Now().UnixNano(), seq, size)
		frame = append(frame, "\n\n"...)
		// A snapshot per event: a client that subscribes during the
		// publish receives from that event on.
		targets = targets[:0]
		s.mu.RLock()
		for c := range s.conns {
			targets = append(targets, c)
		}
		s.mu.RUnlock()
		for _, c := range targets {
			if c.push(frame, s.queueSize) {
				s.dropped.Add(1)
			}
		}
	}
	writeJSON(w, http.StatusCreated, contract.Published{Published: n})
}

func (s *Server) subscribers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, contract.Subscribers{Subscribers: int(s.count.Load())})
}

// forever sends {"t":…,"seq":k} every second until the client leaves.
func (s *Server) forever(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	contract.SetSSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte{'\n'}); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var buf []byte
	for seq := 0; ; seq++ {
		select {
		case <-r.Context().Done():
			return
		case now := <-t.C:
			buf = append(buf[:0], "id: "...)
			buf = strconv.AppendInt(buf, int64(seq+1), 10)
			buf = append(buf, "\ndata: "...)
			buf = contract.AppendTick(buf, now.UnixNano(), seq)
			buf = append(buf, "\n\n"...)
			if _, err := w.Write(buf); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}

// burst writes n events as fast as the connection takes them, then ends.
func (s *Server) burst(w http.ResponseWriter, r *http.Request) {
	n, size, err := contract.ParseCounts(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc := http.NewResponseController(w)
	contract.SetSSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, '\n')
	for seq := range n {
		buf = append(buf, "id: "...)
		buf = strconv.AppendInt(buf, int64(seq+1), 10)
		buf = append(buf, "\ndata: "...)
		buf = contract.AppendPayload(buf, time.Now().UnixNano(), seq, size)
		buf = append(buf, "\n\n"...)
		if len(buf) >= 32<<10 {
			if _, err := w.Write(buf); err != nil {
				return
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return
	}
	_ = rc.Flush() // the response ends here; a failed flush has no one to tell
}

func stats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, contract.SelfStats())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b) // the client may have gone; nothing left to do
}
