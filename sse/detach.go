package sse

import (
	"context"
	"net"
	"runtime"
	"strconv"
	"time"
)

// Detaching: once the headers are out, an HTTP/1.1 stream takes its
// connection over from net/http (Hijack) and ServeHTTP returns. net/http's
// goroutine, its read and write buffers and its background reader are then
// released; what remains per idle stream is one goroutine blocked reading
// the connection (so that a client leaving is seen at once), a timer for the
// heartbeat, and the stream itself: a few kilobytes instead of tens.
//
// A detached stream writes the chunked encoding itself. Whoever finds work
// to do takes the writer role (s.writing, under mu): a goroutine started by
// a producer (drain), the heartbeat timer's callback, or the watcher when
// the client leaves. The role holder ends the stream: final chunk, close,
// teardown.
//
// A stream stays attached when Options.Attached is set, on HTTP/2 or
// HTTP/1.0, when a middleware encodes the body (Content-Encoding), when the
// ResponseWriter cannot be taken over, and when the request's context is not
// the stream's (see WithStreamContext): code built on the request's own
// context would stop when ServeHTTP returns.

// canDetach reports whether the stream may leave net/http's goroutine.
func (s *stream) canDetach() bool {
	if s.cfg.attached || !s.headersSent || s.r.ProtoMajor != 1 || s.r.ProtoMinor < 1 {
		return false
	}
	h := s.w.Header()
	return h.Get("Content-Encoding") == "" && h.Get("Transfer-Encoding") == ""
}

// detach takes the connection over. It reports false when the stream must
// go on attached (the connection cannot be taken, or the client is gone).
func (s *stream) detach() bool {
	if !s.sc.unwatch() {
		return false // the client is gone: the stream ends attached
	}
	conn, _, err := s.rc.Hijack()
	if err != nil {
		// Not a connection net/http hands over: stay attached.
		s.sc.unwatch = context.AfterFunc(s.sc.req, s.sc.leave)
		s.cfg.attached = true
		return false
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Lock()
	s.conn = conn
	// net/http's response (and with it the connection's buffers) must not be
	// kept alive: it is not used any more.
	s.w, s.rc = nil, nil
	s.deadline = time.Time{} // Hijack cleared the connection's deadlines
	s.lastWrite = time.Now()
	if s.cfg.heartbeat > 0 {
		s.timer = time.AfterFunc(s.cfg.heartbeat, s.heartbeatDetached)
	}
	start := s.queued > 0 || s.ended()
	if start {
		s.writing = true
	}
	s.mu.Unlock()
	go s.watch()
	if start {
		go s.drain()
	}
	return true
}

// drain is the detached writer: it writes what is pending until nothing is
// left, then gives the writer role up; or it ends the stream.
func (s *stream) drain() {
	// Let the producer queue more before taking what is pending: under load
	// this gathers more events per write.
	s.mu.Lock()
	s.gather()
	for {
		if s.gone || s.failed || s.overflow {
			s.mu.Unlock()
			s.finishDetached(false)
			return
		}
		b := s.takeLocked()
		if len(b.buf) == 0 && len(b.refs) == 0 && !b.end {
			// Nothing to write: give the role up (and the buffers back
			// under mu, where the next role holder takes them).
			s.recycleLocked(&b)
			s.writing = false
			s.mu.Unlock()
			return
		}
		s.armLocked()
		s.mu.Unlock()
		s.encodeRefs(&b)
		if b.err != nil {
			b.buf = s.appendFailure(b.buf, b.err, &b.errID)
		}
		err := s.writeChunk(b.buf)
		s.mu.Lock()
		s.recycleLocked(&b)
		if err != nil {
			s.failed = true
		} else {
			s.lastWrite = time.Now()
		}
		if err == nil && b.end {
			s.mu.Unlock()
			s.finishDetached(true)
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
		n := s.queued
		if n == 0 || s.ended() {
			return
		}
		s.mu.Unlock()
		runtime.Gosched()
		s.mu.Lock()
		if s.queued <= n {
			return
		}
	}
}

// writeChunk writes b as one chunk of the chunked encoding, in one write.
// On a TCP or Unix connection the chunk's head and tail go around b in one
// writev, so that b is not copied; other connections (TLS) get one frame.
func (s *stream) writeChunk(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	switch s.conn.(type) {
	case *net.TCPConn, *net.UnixConn:
		h := strconv.AppendInt(s.chunkHead[:0], int64(len(b)), 16)
		h = append(h, "\r\n"...)
		s.iov = [3][]byte{h, b, crlf}
		s.bufs = s.iov[:]
		_, err := s.bufs.WriteTo(s.conn)
		s.iov, s.bufs = [3][]byte{}, nil
		return err
	}
	f := strconv.AppendInt(s.frame[:0], int64(len(b)), 16)
	f = append(f, "\r\n"...)
	f = append(f, b...)
	f = append(f, "\r\n"...)
	_, err := s.conn.Write(f)
	if cap(f) <= 64<<10 {
		s.frame = f[:0]
	} else {
		s.frame = nil
	}
	return err
}

var crlf = []byte("\r\n")

// heartbeatDetached is the heartbeat timer's callback.
func (s *stream) heartbeatDetached() {
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	hb := s.cfg.heartbeat
	if idle := time.Since(s.lastWrite); s.writing || idle < hb {
		if s.writing {
			idle = 0
		}
		s.timer.Reset(hb - idle)
		s.mu.Unlock()
		return
	}
	s.writing = true
	s.releaseBuffersLocked()
	s.armLocked()
	s.timer.Reset(hb)
	s.mu.Unlock()
	if err := s.writeChunk(heartbeatBytes); err != nil {
		s.mu.Lock()
		s.failed = true
		s.mu.Unlock()
	} else {
		s.mu.Lock()
		s.lastWrite = time.Now()
		s.mu.Unlock()
	}
	s.drain() // go on as the writer: something may be pending, or over
}

// watch reads the connection until it fails: the client left (a client
// sends nothing while it listens; anything it does send is ignored).
func (s *stream) watch() {
	for {
		if _, err := s.conn.Read(s.rbuf[:]); err != nil {
			break
		}
	}
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return
	}
	s.gone = true
	start := !s.writing
	s.writing = true
	s.mu.Unlock()
	s.unsubscribe() // producers see the end at once
	s.conn.Close()  // a write in progress fails at once
	if start {
		s.drain()
	}
}

// lastChunk ends the chunked encoding.
var lastChunk = []byte("0\r\n\r\n")

// finishDetached ends a detached stream; the caller holds the writer role.
func (s *stream) finishDetached(clean bool) {
	if clean {
		s.mu.Lock()
		s.armLocked()
		s.mu.Unlock()
		_, _ = s.conn.Write(lastChunk)
	}
	_ = s.conn.Close()
	s.mu.Lock()
	s.finished = true
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	s.cleanup()
}
