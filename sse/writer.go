package sse

import (
	"errors"
	"os"
	"runtime"
	"sync"
	"time"
)

// drain is the stream's one writer loop, whatever the transport. The caller
// holds the writer role. It writes what is queued until nothing is left and
// gives the role up, or ends the stream.
func (s *stream) drain() {
	s.mu.Lock()
	for {
		s.gather()
		if s.broken() {
			s.mu.Unlock()
			s.finish(false)
			return
		}
		end := s.done || s.stopping
		var failure error
		if s.done && s.err != nil {
			failure = s.err
		}
		errID := uint64(0)
		if failure != nil {
			errID = s.nextID
			s.nextID++
		}
		if s.q.len() == 0 && !end && !s.beatDue {
			s.writing = false // nothing to write: give the role up
			s.mu.Unlock()
			return
		}
		beat := s.beatDue && s.q.len() == 0 && !end
		s.beatDue = false
		s.q.take(&s.b)
		s.armLocked()
		s.mu.Unlock()

		events := len(s.b.items)
		if failure != nil {
			events++
		}
		n, err := s.writeBatch(beat, failure, errID, s.extend)
		s.b.clear()
		if err == nil {
			s.hooks.Wrote(events, n)
		}

		s.mu.Lock()
		if err != nil {
			s.failed = true
			// A client that took nothing for WriteTimeout (not one cut by
			// the queue policy, or gone): say why it is dropped.
			s.stalled = errors.Is(err, os.ErrDeadlineExceeded) && !s.overflow && !s.gone
			continue
		}
		s.lastWrite = time.Now()
		if end {
			s.mu.Unlock()
			s.finish(true)
			return
		}
	}
}

// maxGather bounds how many times a writer yields to let a producer that
// is still queueing add more events before it writes them.
const maxGather = 3

// gather lets more events accumulate before a write, as long as the
// producer is adding some: the writer yields its processor and looks again,
// up to maxGather times, while the queue grows. There is no timer: a stream
// that gets one event writes it after one yield. Under a broadcast to many
// connections this makes fewer, larger writes. The caller holds mu; gather
// returns with it held.
func (s *stream) gather() {
	for range maxGather {
		n := s.q.len()
		if n == 0 || s.ended() {
			return
		}
		s.mu.Unlock()
		runtime.Gosched()
		s.mu.Lock()
		if s.q.len() <= n {
			return
		}
	}
}

// writeBatch writes the batch taken from the queue: its events, then the
// "error" event a failed stream ends with, or else a heartbeat. Events
// encoded when queued are written from the queue's buffer as they are;
// shared ones are copied, with this connection's ids, into the writer's
// buffer.
func (s *stream) writeBatch(beat bool, failure error, errID uint64, extend func() bool) (n int, err error) {
	p, ok := s.b.bytesOnly()
	if !ok || failure != nil {
		buf := writeBufPool.Get().(*[]byte)
		defer writeBufPool.Put(buf)
		out, err := s.b.appendTo((*buf)[:0])
		if err != nil {
			// A shared event whose data cannot be encoded: write what came
			// before it and end the stream with the error.
			failure, errID = err, 0
		}
		if failure != nil {
			out = s.appendFailure(out, failure, errID)
		}
		if cap(out) <= maxPooledBuf {
			*buf = out[:0]
		}
		p = out
	}
	if beat {
		p = heartbeatBytes
	}
	return len(p), s.send(p, extend)
}

// send writes p, giving the client WriteTimeout to take each part of it:
// a client that reads slowly but steadily is never cut, one that stops
// reading is.
func (s *stream) send(p []byte, extend func() bool) error {
	if len(p) == 0 {
		return nil
	}
	return s.t.write(p, extend)
}

// appendFailure logs err when needed and appends the "error" event a stream
// that fails after its headers ends with (id 0: the failure came from an
// event that already took the connection's next id).
func (s *stream) appendFailure(dst []byte, err error, id uint64) []byte {
	if logged(err) {
		s.cfg.logger.ErrorContext(s.ctx, "sse: stream failed", "err", err, "path", s.path)
	}
	dst = append(dst, "event: error\n"...)
	if id != 0 {
		dst = appendAutoID(dst, id)
	}
	dst = appendLines(dst, "data: ", clientMessage(err))
	return append(dst, '\n')
}

// beat is the heartbeat timer's callback: a stream that wrote nothing for a
// heartbeat interval gets a comment line, and an idle stream lets its
// buffers go.
func (s *stream) beat() {
	hb := s.cfg.heartbeat
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	if idle := time.Since(s.lastWrite); s.writing || idle < hb {
		if s.writing {
			idle = 0
		}
		s.timer.Reset(hb - idle)
		s.mu.Unlock()
		return
	}
	s.timer.Reset(hb)
	s.q.release()
	s.beatDue = true
	start := s.notifyLocked()
	s.mu.Unlock()
	if start {
		s.drain()
	}
}

// The writer's buffer for batches with shared events comes from a pool and
// goes back after the write, so that a stream between bursts holds none and
// many connections receiving a broadcast share a few.
// A buffer grown past maxPooledBuf by a burst is left to the garbage
// collector.
var writeBufPool = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBuf = 256 << 10
