package sse

import (
	"runtime"
	"strconv"
	"time"
)

// The attached writer is the handler's goroutine: it waits for events, the
// heartbeat timer or the end of the stream, and writes everything pending in
// one Write and one Flush of the ResponseWriter. Every stream starts so; an
// HTTP/2 stream, or one whose ResponseWriter cannot be taken over, stays so.

// loop writes until the stream ends or detaches; it reports whether it ended
// cleanly, and whether it detached.
func (s *stream) loop() (clean, detached bool) {
	if s.cfg.heartbeat > 0 {
		s.timer = time.NewTimer(s.cfg.heartbeat)
		defer func() {
			if !detached {
				s.timer.Stop()
			}
		}()
	}
	var tick <-chan time.Time
	if s.timer != nil {
		tick = s.timer.C
	}
	done := s.ctx.Done()
	for {
		more, err := s.flush()
		if !more {
			return err == nil, false
		}
		if s.canDetach() {
			if s.detach() {
				return true, true
			}
		}
		select {
		case <-s.wake:
			// Let the producer queue more before taking what is pending:
			// under load this gathers more events per write.
			runtime.Gosched()
		case <-tick:
			if err := s.heartbeat(); err != nil {
				return false, false
			}
		case <-done:
			return false, false
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
	b := s.takeLocked()
	s.armLocked()
	s.mu.Unlock()
	s.encodeRefs(&b)
	defer s.giveBack(&b)

	if b.err != nil {
		if !s.headersSent && !b.emitted {
			WriteError(s.w, s.r, b.err, s.cfg.logger)
			return false, nil
		}
		b.buf = s.appendFailure(b.buf, b.err, &b.errID)
	}
	if len(b.buf) > 0 || !s.headersSent {
		if err := s.write(b.buf); err != nil {
			if err == errBodyForbidden {
				return false, nil // a complete response: 204 or 304
			}
			return false, err
		}
		s.lastWrite = time.Now()
	}
	return !b.end, nil
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
	return s.rc.Flush()
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
	s.releaseBuffersLocked()
	s.armLocked()
	s.mu.Unlock()
	if err := s.write(heartbeatBytes); err != nil {
		return err
	}
	s.lastWrite = time.Now()
	return nil
}

// finishAttached ends an attached stream. After a failure (the client is
// gone, broken or dropped) the write deadline is moved to now, so that
// net/http's final write fails at once instead of waiting for the peer, and
// the connection is closed. (net/http lifts the deadline itself after a
// clean end.)
func (s *stream) finishAttached(clean bool) {
	s.mu.Lock()
	if !clean {
		s.setDeadlineLocked(time.Now())
	}
	s.finished = true
	s.mu.Unlock()
	s.cleanup()
}
