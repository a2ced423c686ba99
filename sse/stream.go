package sse

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// A stream is one response in progress. Producers (whatever goroutines the
// observable emits from) encode events into pending under mu and notify the
// writer; a producer never waits for the network: when pending is full the
// slow client policy applies.
//
// A stream starts attached: the handler's goroutine is the writer (see
// attached.go). Once the headers are out, an HTTP/1.1 stream detaches (see
// detach.go): it takes the connection over from net/http, ServeHTTP
// returns, and an idle stream then holds no goroutine but the one that
// watches for the client leaving.
//
// While Subscribe runs, synchronous sources emit on the handler's goroutine
// before the writer starts; a full queue is then written in place (under mu,
// so that the writer cannot start meanwhile), which paces a synchronous
// source by its client as a loop of Writes would.
type stream struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	r      *http.Request
	status int
	cfg    *config
	open   *atomic.Int64 // the MaxStreams count to release at the end, or nil
	group  *group        // the server's streams, for shutdown, or nil
	// ctx is the subscription's context: the request's values, but ended by
	// the stream itself, since net/http ends the request's context when a
	// detached stream's ServeHTTP returns.
	sc     *streamCtx
	ctx    context.Context
	cancel context.CancelFunc
	sub    rx.Subscription
	ending sync.Once     // unsubscribe
	wake   chan struct{} // attached: capacity 1, "pending or state changed"

	mu       sync.Mutex
	pending  []byte // encoded events waiting for the writer
	head     int    // DropOldest: pending[:head] holds dropped events
	starts   []int  // DropOldest: offset in pending of each queued event
	queued   int    // events in pending[head:]
	nextID   autoID // the connection's next automatic id (the writer's when lazy)
	emitted  bool   // an event was emitted: errors now go in-band
	dropNew  bool   // DropNewest: the event being encoded is discarded
	dropped  int    // events dropped by the policy
	done     bool   // Complete or Error received
	err      error  // the stream's error, after Error
	overflow bool   // the queue overflowed under Disconnect
	stopping bool   // the server is shutting down
	failed   bool   // a write failed: the client is gone or too slow
	inline   bool   // Subscribe is running (see above)
	deadline time.Time
	// lazy: the stream queues *Encoded events as they are, in refs, and its
	// writer encodes them (see refs.go).
	lazy bool
	refs []*Encoded
	// Detached only.
	conn      net.Conn // the connection, once detached
	writing   bool     // a goroutine holds the writer role
	gone      bool     // the client went away
	finished  bool     // the stream is over and cleaned up
	lastWrite time.Time

	// Used by the writer only (or by an inline write, under mu).
	spare       []byte
	spareRefs   []*Encoded
	frame       []byte // detached: the chunk being written (not TCP)
	chunkHead   [20]byte
	iov         [3][]byte   // detached: the chunk being written (TCP)
	bufs        net.Buffers // iov, as writev takes it
	headersSent bool
	timer       *time.Timer
	rbuf        [1]byte // detached: what the watcher reads into

	// The list of streams of one server, for shutdown; guarded by group.mu.
	prev, next *stream
}

var (
	errNilError      = errors.New("sse: stream failed with a nil error")
	errDropped       = errors.New("sse: client dropped")
	errBodyForbidden = errors.New("sse: the status allows no body")
	heartbeatBytes   = []byte(": heartbeat\n\n")
)

func newStream(w http.ResponseWriter, r *http.Request, status int, cfg *config, open *atomic.Int64, sc *streamCtx) *stream {
	return &stream{
		w:      w,
		rc:     http.NewResponseController(w),
		r:      r,
		status: status,
		cfg:    cfg,
		open:   open,
		sc:     sc,
		ctx:    sc,
		cancel: sc.cancel,
		wake:   make(chan struct{}, 1),
	}
}

// serve subscribes with subscribe and writes the stream until it ends or
// detaches.
func (s *stream) serve(subscribe func(ctx context.Context) rx.Subscription) {
	if g := groupOf(s.r); g != nil {
		s.group = g
		if !g.add(s) {
			s.stopping = true
		}
	}
	// A read deadline left by http.Server.ReadTimeout would end the stream
	// when it expires: net/http's background read watches the connection.
	_ = s.rc.SetReadDeadline(time.Time{})

	if !s.stopping {
		s.mu.Lock()
		s.inline = true
		s.mu.Unlock()
		s.sub = subscribe(s.ctx)
		s.sc.onLeave(s.unsubscribe)
		s.mu.Lock()
		s.inline = false
		s.mu.Unlock()
	}
	clean, detached := s.loop()
	if detached {
		return
	}
	s.finishAttached(clean)
}

// batch is what a writer takes from the stream at once.
type batch struct {
	taken   []byte     // the buffer to give back
	buf     []byte     // the events to write
	refs    []*Encoded // lazy: the events to encode after buf (encodeRefs)
	end     bool       // the stream ends after them
	err     error      // the stream's error: it ends with an error event
	errID   autoID     // the error event's id
	emitted bool       // an event was ever emitted
}

// takeLocked hands the pending events, and the stream's state, to the
// writer.
func (s *stream) takeLocked() batch {
	b := batch{taken: s.pending, buf: s.pending[s.head:], end: s.done || s.stopping, emitted: s.emitted}
	s.pending, s.spare = s.spare[:0], nil
	b.refs, s.refs, s.spareRefs = s.refs, s.spareRefs[:0], nil
	s.head, s.queued = 0, 0
	s.starts = s.starts[:0]
	if s.done && s.err != nil {
		b.err = s.err
		if !s.lazy { // else the id comes after the refs' (encodeRefs)
			b.errID = s.nextID
			s.nextID.advance()
		}
	}
	return b
}

// giveBack keeps a written buffer for reuse, so that a busy stream
// allocates nothing; a burst's outsize buffer goes. A lazy stream's buffers
// come from the pools its writer takes them from (encodeRefs): they go
// back there, so that an attached stream between bursts holds none.
func (s *stream) giveBack(b *batch) {
	s.keepRefs(b.refs)
	if s.lazy {
		putQueueBuf(b.taken)
		return
	}
	if cap(b.taken) > 64<<10 {
		return
	}
	s.spare = b.taken[:0]
}

// recycleLocked is giveBack for a detached writer, under mu. A lazy stream
// that has more events queued already keeps the buffer for its next batch
// (a busy stream allocates nothing); one that has caught up returns it to
// its pool, so that a stream between bursts holds no buffer and a new
// stream starts with a grown one.
func (s *stream) recycleLocked(b *batch) {
	if !s.lazy {
		s.giveBack(b)
		return
	}
	s.keepRefs(b.refs)
	if s.queued > 0 && s.spare == nil && cap(b.taken) <= 64<<10 {
		s.spare = b.taken[:0]
		return
	}
	putQueueBuf(b.taken)
}

// releaseBuffersLocked lets the buffers of a stream that has been idle for a
// heartbeat interval go: an idle stream holds none. The caller is the
// writer (or the stream is over).
func (s *stream) releaseBuffersLocked() {
	if s.queued == 0 {
		putQueueBuf(s.pending)
		s.pending, s.head, s.starts = nil, 0, nil
		s.refs = nil
	}
	putQueueBuf(s.spare)
	s.spare, s.frame, s.spareRefs = nil, nil, nil
}

// appendFailure logs err when needed and appends the "error" event a stream
// that fails after its headers ends with.
func (s *stream) appendFailure(dst []byte, err error, id *autoID) []byte {
	if logged(err) {
		logError(s.ctx, s.r, s.cfg.logger, "sse: stream failed", err)
	}
	dst = append(dst, "event: error\n"...)
	dst = id.appendLine(dst)
	dst = appendLines(dst, "data: ", clientMessage(err))
	return append(dst, '\n')
}

// armLocked sets the deadline of the next write. It is set under mu so that
// an overflow (which moves the deadline to now, see makeRoom) cannot be
// undone by a write that is about to start.
//
// Moving a deadline costs a runtime timer update, so it is moved only when
// at least an eighth of the timeout has passed since it was last set: a
// write is given between 7/8 of WriteTimeout and all of it.
func (s *stream) armLocked() {
	wt := s.cfg.writeTimeout
	if wt <= 0 {
		return
	}
	if d := time.Now().Add(wt); d.Sub(s.deadline) >= wt/8 {
		s.setDeadlineLocked(d)
	}
}

func (s *stream) setDeadlineLocked(d time.Time) {
	s.deadline = d
	if s.conn != nil {
		_ = s.conn.SetWriteDeadline(d)
	} else {
		_ = s.rc.SetWriteDeadline(d)
	}
}

// notifyLocked tells the writer that there is something to do. Attached,
// it wakes the handler's goroutine; detached, it returns true when the
// caller must start a writer (go s.drain()) after unlocking.
func (s *stream) notifyLocked() (startWriter bool) {
	if s.conn == nil {
		select {
		case s.wake <- struct{}{}:
		default:
		}
		return false
	}
	if s.writing || s.finished {
		return false
	}
	s.writing = true
	return true
}

// ended reports whether the stream takes no more events.
func (s *stream) ended() bool { return s.done || s.overflow || s.stopping || s.failed || s.gone }

// end records the end of the stream (err nil: completion).
func (s *stream) end(err error) {
	s.mu.Lock()
	start := s.endLocked(err)
	s.mu.Unlock()
	if start {
		go s.drain()
	}
}

func (s *stream) endLocked(err error) (startWriter bool) {
	if s.ended() {
		return false
	}
	s.done, s.err = true, err
	return s.notifyLocked()
}

// stop ends the stream for a server shutdown, once what is queued is
// written.
func (s *stream) stop() {
	s.mu.Lock()
	s.stopping = true
	start := s.notifyLocked()
	s.mu.Unlock()
	if start {
		go s.drain()
	}
}

// makeRoom applies the slow client policy to a full queue. It reports
// whether the new event may be queued, whether this is the stream's first
// drop (to be logged, outside mu), and whether a writer must be started.
func (s *stream) makeRoom() (ok, firstDrop, startWriter bool) {
	if s.inline {
		b := s.takeLocked()
		s.armLocked()
		s.encodeRefs(&b)
		err := s.write(b.buf)
		s.giveBack(&b)
		if err != nil {
			s.failed = true
			return false, false, s.notifyLocked()
		}
		s.lastWrite = time.Now()
		return true, false, false
	}
	switch s.cfg.slowClient {
	case DropNewest:
		s.dropNew = true
	case DropOldest:
		s.dropOldest()
	default:
		// Disconnect: a write in progress is aborted at once rather than
		// left to its timeout.
		s.overflow = true
		s.setDeadlineLocked(time.Now())
		return false, false, s.notifyLocked()
	}
	s.dropped++
	return true, s.dropped == 1, false
}

// dropOldest discards the oldest queued event. Dropped bytes are reclaimed
// when they make up half of pending, so each drop costs O(1) amortized.
func (s *stream) dropOldest() {
	if s.queued <= 1 {
		s.pending, s.head, s.queued = s.pending[:0], 0, 0
		s.starts = s.starts[:0]
		return
	}
	s.head = s.starts[1]
	n := copy(s.starts, s.starts[1:])
	s.starts = s.starts[:n]
	s.queued--
	if s.head >= 4096 && s.head*2 >= len(s.pending) {
		n := copy(s.pending, s.pending[s.head:])
		s.pending = s.pending[:n]
		for i := range s.starts {
			s.starts[i] -= s.head
		}
		s.head = 0
	}
}

// unsubscribe ends the subscription, then the stream's context. Whoever
// calls it first runs the teardowns; later callers wait until they are
// over (sync.Once), so that nothing sees the stream over (its context
// ended, the stream no longer counted) while a teardown still runs on
// another goroutine: a bus subscription still registered, say. Ending the
// context first would let what watches it start the teardown elsewhere.
func (s *stream) unsubscribe() {
	s.ending.Do(func() {
		s.sub.Unsubscribe()
		s.cancel()
	})
}

// cleanup runs once when the stream is over, attached or detached: the
// subscription is torn down and the stream leaves its server and limit.
func (s *stream) cleanup() {
	s.unsubscribe()
	if s.group != nil {
		s.group.remove(s)
	}
	if s.open != nil {
		s.open.Add(-1)
	}
	s.mu.Lock()
	overflow := s.overflow
	// Nothing is written any more: the buffers can serve other streams.
	s.queued = 0
	s.releaseBuffersLocked()
	s.mu.Unlock()
	if overflow {
		s.cfg.logger.WarnContext(s.ctx, "sse: slow client disconnected: queue full",
			"queue", s.cfg.queueSize, "path", s.r.URL.Path)
	}
}
