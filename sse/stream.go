package sse

import (
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// A stream is one response in progress. Producers (whatever goroutines the
// observable emits from) encode events into pending under mu and wake the
// writer; the writer is the handler's own goroutine, which waits on wake, the
// heartbeat timer and the request's context, and writes everything pending in
// one Write and one Flush. No other goroutine is started per connection, and
// a producer never waits for the network: when pending is full the slow
// client policy applies.
//
// While Subscribe runs, synchronous sources emit on the handler's goroutine
// before the writer loop starts; a full queue is then written in place
// (under mu, so that the writer loop cannot start meanwhile), which paces a
// synchronous source by its client as a loop of Writes would.
type stream struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	r      *http.Request
	status int
	cfg    *config
	wake   chan struct{} // capacity 1: "pending or state changed"

	mu       sync.Mutex
	pending  []byte // encoded events waiting for the writer
	head     int    // DropOldest: pending[:head] holds dropped events
	starts   []int  // DropOldest: offset in pending of each queued event
	queued   int    // events in pending[head:]
	nextID   autoID // the connection's next automatic id
	emitted  bool   // an event was emitted: errors now go in-band
	dropNew  bool   // DropNewest: the event being encoded is discarded
	dropped  int    // events dropped by the policy
	done     bool   // Complete or Error received
	err      error  // the stream's error, after Error
	overflow bool   // the queue overflowed under Disconnect
	stopping bool   // the server is shutting down
	failed   bool   // a write failed: the client is gone or too slow
	inline   bool   // Subscribe is running (see above)

	// Used by the writer only (or by an inline write, under mu).
	spare       []byte
	headersSent bool
	lastWrite   time.Time
	deadline    time.Time // the write deadline set last (under mu)
	timer       *time.Timer

	// The list of streams of one server, for shutdown; guarded by group.mu.
	prev, next *stream
}

var (
	errNilError      = errors.New("sse: stream failed with a nil error")
	errDropped       = errors.New("sse: client dropped")
	errBodyForbidden = errors.New("sse: the status allows no body")
	heartbeatBytes   = []byte(": heartbeat\n\n")
)

func newStream(w http.ResponseWriter, r *http.Request, status int, cfg *config) *stream {
	return &stream{
		w:      w,
		rc:     http.NewResponseController(w),
		r:      r,
		status: status,
		cfg:    cfg,
		wake:   make(chan struct{}, 1),
	}
}

// serve subscribes with subscribe and writes the stream until it ends.
func (s *stream) serve(subscribe func() rx.Subscription) {
	if g := groupOf(s.r); g != nil {
		if !g.add(s) {
			s.stopping = true
		}
		defer g.remove(s)
	}
	// A read deadline left by http.Server.ReadTimeout would end the stream
	// when it expires: net/http's background read watches the connection.
	_ = s.rc.SetReadDeadline(time.Time{})
	clean := false
	defer func() { s.finish(clean) }()

	if !s.stopping {
		s.mu.Lock()
		s.inline = true
		s.mu.Unlock()
		sub := subscribe()
		defer sub.Unsubscribe()
		s.mu.Lock()
		s.inline = false
		s.mu.Unlock()
	}
	clean = s.loop()
}

// loop writes until the stream ends; it reports whether it ended cleanly.
func (s *stream) loop() bool {
	var tick <-chan time.Time
	if s.cfg.heartbeat > 0 {
		s.timer = time.NewTimer(s.cfg.heartbeat)
		defer s.timer.Stop()
		tick = s.timer.C
	}
	done := s.r.Context().Done()
	for {
		more, err := s.flush()
		if !more {
			return err == nil
		}
		select {
		case <-s.wake:
			// Let the producer queue more before taking what is pending:
			// under load this gathers more events per write.
			runtime.Gosched()
		case <-tick:
			if err := s.heartbeat(); err != nil {
				return false
			}
		case <-done:
			return false
		}
	}
}

// flush writes what is pending (sending the headers first if they have not
// gone out) and reports whether the stream goes on.
func (s *stream) flush() (more bool, err error) {
	s.mu.Lock()
	if s.overflow || s.failed {
		s.mu.Unlock()
		return false, errDropped
	}
	taken, buf := s.takeLocked()
	end := s.done || s.stopping
	serr, emitted := s.err, s.emitted
	var errID autoID
	if s.done && serr != nil {
		errID = s.nextID
		s.nextID.advance()
	}
	s.armLocked()
	s.mu.Unlock()
	defer s.giveBack(taken)

	if serr != nil {
		if !s.headersSent && !emitted {
			WriteError(s.w, s.r, serr, s.cfg.logger)
			return false, nil
		}
		if logged(serr) {
			logError(s.r, s.cfg.logger, "sse: stream failed", serr)
		}
		buf = appendErrorEvent(buf, serr, &errID)
	}
	if len(buf) > 0 || !s.headersSent {
		if err := s.write(buf); err != nil {
			return false, err
		}
	}
	return !end, nil
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
	now := time.Now()
	if d := now.Add(wt); d.Sub(s.deadline) >= wt/8 {
		s.deadline = d
		_ = s.rc.SetWriteDeadline(d)
	}
}

// takeLocked hands the pending events to the writer.
func (s *stream) takeLocked() (taken, buf []byte) {
	taken, buf = s.pending, s.pending[s.head:]
	s.pending, s.spare = s.spare[:0], nil
	s.head, s.queued = 0, 0
	s.starts = s.starts[:0]
	return taken, buf
}

// giveBack keeps a written buffer for reuse.
func (s *stream) giveBack(taken []byte) {
	if cap(taken) > 1<<20 {
		return // a burst: let it go
	}
	s.spare = taken[:0]
}

// write sends b (and the headers first, when they have not gone out) in one
// Write and one Flush. The caller has armed the write deadline.
func (s *stream) write(b []byte) error {
	if !s.headersSent {
		s.headersSent = true
		setStreamHeaders(s.w.Header(), s.r.ProtoMajor)
		s.w.WriteHeader(s.status)
		if !bodyAllowed(s.status) {
			_ = s.rc.Flush()
			return errBodyForbidden
		}
		first := []byte{'\n'}
		if s.cfg.retry > 0 {
			first = strconv.AppendInt(append(first, "retry: "...), s.cfg.retry.Milliseconds(), 10)
			first = append(first, "\n\n"...)
		}
		if _, err := s.w.Write(first); err != nil {
			return err
		}
	}
	if len(b) > 0 {
		if _, err := s.w.Write(b); err != nil {
			return err
		}
	}
	if err := s.rc.Flush(); err != nil {
		return err
	}
	s.lastWrite = time.Now()
	return nil
}

// heartbeat writes a comment when nothing was written for a heartbeat
// interval, and rearms the timer for the next check.
func (s *stream) heartbeat() error {
	idle := time.Since(s.lastWrite)
	if idle < s.cfg.heartbeat {
		s.timer.Reset(s.cfg.heartbeat - idle)
		return nil
	}
	s.timer.Reset(s.cfg.heartbeat)
	s.mu.Lock()
	if s.overflow || s.failed {
		s.mu.Unlock()
		return errDropped
	}
	s.armLocked()
	s.mu.Unlock()
	return s.write(heartbeatBytes)
}

// finish runs when the writer is done. After a clean end the write deadline
// is lifted, so that the connection can serve further requests. Otherwise
// the deadline is moved to now: the client is gone, broken or dropped, and
// net/http's final write must not wait for it.
func (s *stream) finish(clean bool) {
	if clean {
		if s.cfg.writeTimeout > 0 {
			_ = s.rc.SetWriteDeadline(time.Time{})
		}
	} else {
		_ = s.rc.SetWriteDeadline(time.Now())
	}
	s.mu.Lock()
	overflow := s.overflow
	s.mu.Unlock()
	if overflow {
		s.cfg.logger.WarnContext(s.r.Context(), "sse: slow client disconnected: queue full",
			"queue", s.cfg.queueSize, "path", s.r.URL.Path)
	}
}

// signal wakes the writer; it never blocks.
func (s *stream) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// ended reports whether the stream takes no more events.
func (s *stream) ended() bool { return s.done || s.overflow || s.stopping || s.failed }

// end records the end of the stream (err nil: completion).
func (s *stream) end(err error) {
	s.mu.Lock()
	s.endLocked(err)
	s.mu.Unlock()
}

func (s *stream) endLocked(err error) {
	if s.ended() {
		return
	}
	s.done, s.err = true, err
	s.signal()
}

// stop ends the stream for a server shutdown.
func (s *stream) stop() {
	s.mu.Lock()
	s.stopping = true
	s.signal()
	s.mu.Unlock()
}

// makeRoom applies the slow client policy to a full queue. It reports
// whether the new event may be queued, and whether this is the stream's
// first drop (to be logged, outside mu).
func (s *stream) makeRoom() (ok, firstDrop bool) {
	if s.inline {
		taken, buf := s.takeLocked()
		s.armLocked()
		err := s.write(buf)
		s.giveBack(taken)
		if err != nil {
			s.failed = true
			s.signal()
			return false, false
		}
		return true, false
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
		s.deadline = time.Now()
		_ = s.rc.SetWriteDeadline(s.deadline)
		s.signal()
		return false, false
	}
	s.dropped++
	return true, s.dropped == 1
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

// appendErrorEvent appends the "error" event a stream that fails after its
// headers ends with.
func appendErrorEvent(dst []byte, err error, id *autoID) []byte {
	dst = append(dst, "event: error\n"...)
	dst = id.appendLine(dst)
	dst = appendLines(dst, "data: ", clientMessage(err))
	return append(dst, '\n')
}

// logged reports whether err must be logged because the client sees only a
// generic message for it, or because it has a cause.
func logged(err error) bool {
	var he *HTTPError
	return !errors.As(err, &he) || he.Err != nil
}
