package sse

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// A stream is one response in progress. Its life, top to bottom:
//
//  1. serve subscribes to the observable. Producers (whatever goroutines
//     the observable emits from) put events in the stream's queue (queue.go)
//     under mu; a producer never waits for the network: when the queue is
//     full, the slow-client policy applies (makeRoom).
//  2. The headers go out once Subscribe has returned (sendHeaders), and the
//     stream picks its transport (transport.go): net/http's ResponseWriter,
//     or, on HTTP/1.1, the connection itself, taken over from net/http
//     (detach.go) so that an idle stream costs a few kilobytes.
//  3. One writer loop (drain, writer.go) writes what is queued, whatever the
//     transport. No goroutine waits for events: the producer that queues
//     into an idle stream starts a writer, which runs until the queue is
//     empty. The heartbeat timer and the client leaving start one too.
//  4. The writer that sees the end (completion, error, shutdown, a failed
//     write, the client gone) finishes the stream: last bytes, connection,
//     subscription, account (finish).
//
// Whoever starts a writer takes the writer role (writing, under mu), so that
// one goroutine at a time writes and ends the stream.
type stream struct {
	// Set before the stream starts; read-only after.
	cfg    *config
	acct   *Streams // the account the stream is counted in, or nil
	status int
	path   string // the request's path, for logs
	client string // the client's address, with MaxStreamsPerClient
	// detachable: the request's context is the stream's (see
	// WithStreamContext), so the stream may leave ServeHTTP.
	detachable bool
	hooks      StreamHooks // metrics (hooks.go)
	sc         *streamCtx
	ctx        context.Context
	sub        rx.Subscription
	ending     sync.Once // unsubscribe

	// Until the headers are out: the request, and how to answer it.
	r  *http.Request
	w  http.ResponseWriter
	rc *http.ResponseController

	// The writer's: the transport, and the batch it writes.
	t transport
	b batch

	mu      sync.Mutex
	q       queue
	nextID  uint64 // the connection's next automatic id (from 1)
	writing bool   // a goroutine holds the writer role
	inline  bool   // Subscribe is running on the handler's goroutine
	// inlineWriting: a producer writes the queue in place (makeRoom), until
	// inlineDone is closed.
	inlineWriting bool
	inlineDone    chan struct{}
	emitted       bool // an event was emitted: errors now go in-band
	headersSent   bool
	dropNew       bool  // DropNewest: the event being queued is discarded
	dropped       int   // events dropped by the policy
	done          bool  // Complete or Error received
	err           error // the stream's error, after Error
	overflow      bool  // the queue overflowed under Disconnect
	stopping      bool  // the server is shutting down
	failed        bool  // a write failed: the client is gone or too slow
	stalled       bool  // the failed write timed out: the client took nothing
	gone          bool  // the client went away
	finished      bool  // the stream is over
	beatDue       bool  // the writer is to write a heartbeat
	deadline      time.Time
	lastWrite     time.Time
	timer         *time.Timer   // the heartbeat
	over          chan struct{} // attached: closed when the stream is finished

	// The account's list of streams, guarded by acct.mu.
	prev, next *stream
}

var (
	errNilError      = errors.New("sse: stream failed with a nil error")
	errDropped       = errors.New("sse: client dropped")
	errBodyForbidden = errors.New("sse: the status allows no body")
	heartbeatBytes   = []byte(": heartbeat\n\n")
)

func newStream(w http.ResponseWriter, r *http.Request, status int, cfg *config, sc *streamCtx) *stream {
	return &stream{
		cfg:     cfg,
		status:  status,
		path:    r.URL.Path,
		sc:      sc,
		ctx:     sc,
		r:       r,
		w:       w,
		rc:      http.NewResponseController(w),
		nextID:  1,
		writing: true, // the handler's goroutine, until the headers are out
	}
}

// serve subscribes with subscribe and runs the stream. It returns when the
// stream is over, or once it has detached.
func (s *stream) serve(subscribe func(ctx context.Context) rx.Subscription) {
	s.t = &responseTransport{w: s.w, rc: s.rc}
	// A read deadline left by http.Server.ReadTimeout would end the stream
	// when it expires: net/http's background read watches the connection.
	_ = s.rc.SetReadDeadline(time.Time{})
	if s.acct != nil {
		srv, _ := s.r.Context().Value(http.ServerContextKey).(*http.Server)
		if !s.acct.add(s, srv) {
			s.stopping = true
		}
	}
	if !s.stopping {
		s.mu.Lock()
		s.inline = true
		s.mu.Unlock()
		s.sub = subscribe(s.ctx)
		s.sc.onLeave(s.clientLeft)
		s.mu.Lock()
		s.inline = false
		if s.ctx.Err() != nil {
			s.gone = true // the client left while Subscribe ran
		}
		for s.inlineWriting {
			// A producer on another goroutine still writes in place:
			// the handler's goroutine takes the writer role back after.
			done := s.inlineDone
			s.mu.Unlock()
			<-done
			s.mu.Lock()
		}
		s.mu.Unlock()
	}

	// Nest sends the headers after the "scheduler tick" that follows
	// Subscribe, unless the stream failed before emitting anything: that is
	// answered as an HTTP error.
	s.mu.Lock()
	if s.done && s.err != nil && !s.emitted && !s.headersSent {
		err := s.err
		s.mu.Unlock()
		WriteError(s.w, s.r, err, s.cfg.logger)
		s.finish(true)
		return
	}
	var err error
	if !s.headersSent {
		s.headersSent = true
		s.armLocked()
		s.mu.Unlock()
		err = s.writeHeaders()
	} else {
		s.mu.Unlock() // sent by makeRoom already
	}
	if err != nil {
		s.finish(err == errBodyForbidden) // a 204 or 304 is complete
		return
	}
	// A stream that is over already (a finite synchronous source) ends in
	// its handler: net/http then keeps the connection for the next request.
	s.mu.Lock()
	over := s.ended()
	s.mu.Unlock()
	detached := !over && s.canDetach() && s.detach()
	if !detached {
		// Whoever finishes the stream (after this goroutine gives the writer
		// role up) closes over.
		s.over = make(chan struct{})
		if s.cfg.heartbeat > 0 {
			s.timer = time.AfterFunc(s.cfg.heartbeat, s.beat)
		}
	}
	s.drain()
	if !detached {
		<-s.over // net/http ends the response when ServeHTTP returns
	}
}

// writeHeaders writes the status, the headers and the stream's first bytes.
// The caller holds the writer role and has set headersSent.
func (s *stream) writeHeaders() error {
	setStreamHeaders(s.w.Header(), s.r.ProtoMajor)
	s.w.WriteHeader(s.status)
	if !bodyAllowed(s.status) {
		_ = s.rc.Flush()
		return errBodyForbidden
	}
	first := []byte{'\n'}
	if s.cfg.retry > 0 {
		first = appendRetry(append(first, "retry: "...), s.cfg.retry)
		first = append(first, "\n\n"...)
	}
	if _, err := s.w.Write(first); err != nil {
		return err
	}
	s.lastWrite = time.Now()
	return s.rc.Flush()
}

// notifyLocked tells the writer that there is something to do. It reports
// whether the caller must start one (go s.drain()) after unlocking: nobody
// holds the writer role, and the caller now does.
func (s *stream) notifyLocked() (startWriter bool) {
	if s.writing || s.finished {
		return false
	}
	s.writing = true
	return true
}

// ended reports whether the stream takes no more events.
func (s *stream) ended() bool { return s.done || s.overflow || s.stopping || s.failed || s.gone }

// broken reports whether the stream must end without writing more.
func (s *stream) broken() bool { return s.overflow || s.failed || s.gone }

// end records the end of the stream (err nil: completion).
func (s *stream) end(err error) {
	s.mu.Lock()
	start := false
	if !s.ended() {
		s.done, s.err = true, err
		start = s.notifyLocked()
	}
	s.mu.Unlock()
	if start {
		go s.drain()
	}
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

// clientLeft ends the stream when its client goes away: the subscription at
// once, the connection by the writer.
func (s *stream) clientLeft() {
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.gone = true
	start := s.notifyLocked()
	// A write in progress fails at once. Under mu, the stream is not
	// finished: an attached stream's handler has not returned, so its
	// ResponseWriter may still be used.
	s.t.abort()
	s.mu.Unlock()
	s.unsubscribe() // producers see the end at once
	if start {
		s.drain()
	}
}

// cut ends the stream at once, without writing what is queued (see
// Streams.Close).
func (s *stream) cut() {
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.failed = true
	start := s.notifyLocked()
	s.t.abort()
	s.mu.Unlock()
	if start {
		go s.drain()
	}
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
		s.deadline = d
		s.t.setWriteDeadline(d)
	}
}

// extend gives a write that is making progress another WriteTimeout: only a
// client that takes nothing for that long is cut. It reports false when the
// stream must stop writing (the queue overflowed meanwhile, say).
func (s *stream) extend() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extendLocked()
}

// extendLocked is extend for a writer that holds mu (see makeRoom).
func (s *stream) extendLocked() bool {
	if s.broken() {
		return false
	}
	s.armLocked()
	return true
}

// unsubscribe ends the subscription, then the stream's context. Whoever
// calls it first runs the teardowns; later callers wait until they are
// over (sync.Once), so that nothing sees the stream over (its context
// ended, the stream no longer counted) while a teardown still runs on
// another goroutine: a bus subscription still registered, say. Ending the
// context first would let what watches it start the teardown elsewhere.
func (s *stream) unsubscribe() {
	s.ending.Do(func() {
		s.sub.Unsubscribe() // the zero Subscription (never subscribed) does nothing
		s.sc.cancel()
	})
}

// finish ends the stream; the caller holds the writer role. clean says
// whether the response ends as it should (its last bytes written), or is
// cut.
func (s *stream) finish(clean bool) {
	s.mu.Lock()
	s.finished = true // from now on, the client leaving changes nothing
	if s.timer != nil {
		s.timer.Stop()
	}
	overflow, gone, stalled := s.overflow, s.gone, s.stalled
	reason := ClientGone
	switch {
	case overflow:
		reason = SlowClientDropped
	case gone || s.failed:
	case s.done && s.err != nil:
		reason = Failed
	case s.done:
		reason = Completed
	case s.stopping:
		reason = ServerShutdown
	}
	s.q.release()
	s.mu.Unlock()
	if s.t != nil {
		s.t.end(clean)
	}
	s.unsubscribe()
	if s.acct != nil {
		s.acct.remove(s)
	}
	s.b = batch{}
	switch {
	case overflow && !gone:
		s.cfg.logger.WarnContext(s.ctx, "sse: slow client disconnected: queue full",
			"queue", s.cfg.queueSize, "queueBytes", s.cfg.queueBytes, "path", s.path)
	case stalled:
		s.cfg.logger.WarnContext(s.ctx, "sse: stalled client disconnected: it took no bytes for the write timeout",
			"writeTimeout", s.cfg.writeTimeout, "path", s.path)
	}
	s.hooks.Closed(reason)
	if s.over != nil {
		close(s.over)
	}
}
