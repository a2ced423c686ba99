package sse

import (
	"context"
	"net/http"
	"time"
)

// Detaching: once the headers are out, an HTTP/1.1 stream takes its
// connection over from net/http (Hijack) and ServeHTTP returns. net/http's
// goroutine, its read and write buffers and its background reader are then
// released; what remains per idle stream is one goroutine blocked reading
// the connection (so that a client leaving is seen at once), a timer for the
// heartbeat, and the stream itself: a few kilobytes instead of tens (and on
// Linux not even the goroutine: see watch.go). The writer then writes the
// chunked encoding itself (connTransport).
//
// This is a choice with a cost, made visible: middleware sees the request
// end when the stream starts, and the stream is no longer one of the
// server's connections (http.Server.Close does not end it; a Streams
// account's Shutdown does, and http.Server.Shutdown through it).
//
// A stream stays attached when Options.Attached is set, on HTTP/2 or
// HTTP/1.0, when a middleware encodes the body (Content-Encoding), when the
// ResponseWriter cannot be taken over, and when the request's context is not
// the stream's (see WithStreamContext): code built on the request's own
// context would stop when ServeHTTP returns.

// canDetach reports whether the stream may leave net/http's goroutine.
func (s *stream) canDetach() bool {
	if s.cfg.attached || !s.detachable || s.r.ProtoMajor != 1 || s.r.ProtoMinor < 1 {
		return false
	}
	h := s.w.Header()
	return h.Get("Content-Encoding") == "" && h.Get("Transfer-Encoding") == ""
}

// detach takes the connection over; the caller holds the writer role. It
// reports false when the stream must go on attached (the connection cannot
// be taken, or the client is gone).
func (s *stream) detach() bool {
	if !s.sc.unwatch() {
		return false // the client is gone: the stream ends attached
	}
	conn, _, err := s.rc.Hijack()
	if err != nil {
		// Not a connection net/http hands over: stay attached.
		s.sc.unwatch = context.AfterFunc(s.sc.req, s.sc.leave)
		return false
	}
	s.sc.unwatch = nil // done with: the watcher sees the client leave now
	t := &connTransport{conn: conn}
	if s.acct != nil {
		if w := s.acct.watcher(); w != nil && w.watch(s, conn) {
			t.unwatch = func() bool { return w.unwatch(s, conn) }
			// Nothing but the watcher reads the connection: after a clean
			// end it can go back to the server for the next request.
			t.srv, _ = s.r.Context().Value(http.ServerContextKey).(*http.Server)
		}
	}
	if t.unwatch == nil {
		go watchWithGoroutine(s, conn)
	}
	s.mu.Lock()
	s.t = t
	// net/http's response (and with it the connection's buffers) must not be
	// kept alive: it is not used any more.
	s.r, s.w, s.rc = nil, nil, nil
	s.deadline = time.Time{} // Hijack cleared the connection's deadlines
	if s.cfg.heartbeat > 0 {
		s.timer = time.AfterFunc(s.cfg.heartbeat, s.beat)
	}
	s.mu.Unlock()
	return true
}
