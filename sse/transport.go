package sse

import (
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// A transport is where a stream's writer puts its bytes: net/http's
// ResponseWriter (HTTP/2, or a stream that stays attached), or the
// connection itself once an HTTP/1.1 stream has taken it over (detach.go).
// Only the writer calls write and end; setWriteDeadline is called under the
// stream's lock, abort from any goroutine.
type transport interface {
	// write writes p and flushes it. It calls extend when the client has
	// taken part of p but a deadline is near, and stops when extend
	// returns false.
	write(p []byte, extend func() bool) error
	setWriteDeadline(t time.Time)
	// abort makes a write in progress fail at once (the client left).
	abort()
	// end ends the response: its last bytes when clean, else cut.
	end(clean bool)
}

// responseTransport writes through net/http.
type responseTransport struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// maxPiece is the most a responseTransport writes under one deadline:
// net/http cannot go on with a write that timed out, so a large batch goes
// in pieces, and the client has WriteTimeout for each.
const maxPiece = 64 << 10

func (t *responseTransport) write(p []byte, extend func() bool) error {
	for {
		n := min(len(p), maxPiece)
		if _, err := t.w.Write(p[:n]); err != nil {
			return err
		}
		if err := t.rc.Flush(); err != nil {
			return err
		}
		if p = p[n:]; len(p) == 0 {
			return nil
		}
		if !extend() {
			return errDropped
		}
	}
}

func (t *responseTransport) setWriteDeadline(d time.Time) { _ = t.rc.SetWriteDeadline(d) }

func (t *responseTransport) abort() { _ = t.rc.SetWriteDeadline(time.Now()) }

// end of a cut response moves the deadline to now, so that net/http's final
// write fails at once instead of waiting for the peer, and the connection
// is closed. (net/http lifts the deadline itself after a clean end.)
func (t *responseTransport) end(clean bool) {
	if !clean {
		t.abort()
	}
}

// connTransport writes the chunked encoding on a connection taken over from
// net/http. On TCP and Unix connections a chunk's head and tail go around
// the events in one writev, so the events are not copied again; other
// connections (TLS) get one frame.
type connTransport struct {
	conn    net.Conn
	unwatch func() bool  // stops a shared watcher's watch, before conn closes
	srv     *http.Server // takes conn back after a clean end, when set
	head    [20]byte
	iov     [3][]byte
	bufs    net.Buffers // iov, as writev takes it
	frame   []byte
}

var crlf = []byte("\r\n")

// lastChunk ends the chunked encoding.
var lastChunk = []byte("0\r\n\r\n")

func (t *connTransport) write(p []byte, extend func() bool) error {
	h := strconv.AppendInt(t.head[:0], int64(len(p)), 16)
	h = append(h, crlf...)
	switch t.conn.(type) {
	case *net.TCPConn, *net.UnixConn:
		t.iov = [3][]byte{h, p, crlf}
		t.bufs = t.iov[:]
		defer func() { t.iov, t.bufs = [3][]byte{}, nil }()
		for {
			left := size(t.bufs)
			_, err := t.bufs.WriteTo(t.conn)
			if err == nil {
				return nil
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) || size(t.bufs) == left || !extend() {
				return err
			}
		}
	}
	f := append(append(append(t.frame[:0], h...), p...), crlf...)
	if cap(f) <= maxPooledBuf {
		t.frame = f[:0]
	} else {
		t.frame = nil
	}
	for {
		n, err := t.conn.Write(f)
		if err == nil {
			return nil
		}
		if f = f[n:]; n == 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !extend() {
			return err
		}
	}
}

// size returns the number of bytes in bufs.
func size(bufs net.Buffers) int {
	n := 0
	for _, b := range bufs {
		n += len(b)
	}
	return n
}

func (t *connTransport) setWriteDeadline(d time.Time) { _ = t.conn.SetWriteDeadline(d) }

func (t *connTransport) abort() { t.close() }

// close closes the connection, once no watcher watches its descriptor
// (which a new connection may take).
func (t *connTransport) close() {
	if t.unwatch != nil {
		t.unwatch()
	}
	_ = t.conn.Close()
}

func (t *connTransport) end(clean bool) {
	if !clean {
		t.close()
		return
	}
	// Only a connection that nothing else reads can go back to the server.
	watched := t.unwatch != nil && t.unwatch()
	t.unwatch = nil
	_ = t.conn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := t.conn.Write(lastChunk); err != nil || t.srv == nil || !watched {
		t.close()
		return
	}
	// The response is complete and the client may send its next request
	// on the connection, as HTTP/1.1 lets it: give the connection back to
	// the server rather than cut it under the client's feet.
	_ = t.conn.SetWriteDeadline(time.Time{})
	go handBack(t.srv, t.conn)
}

// handBack has srv serve conn's next requests, as if it had just accepted
// it: Serve takes conn from a listener that holds only it, and returns at
// the next Accept, leaving conn to net/http.
func handBack(srv *http.Server, conn net.Conn) {
	l := &oneConnListener{conn: conn}
	_ = srv.Serve(l)
	if !l.taken {
		conn.Close() // the server is shutting down
	}
}

// oneConnListener hands one connection to http.Server.Serve.
type oneConnListener struct {
	conn  net.Conn
	taken bool // Serve's goroutine only
}

var errHandedBack = errors.New("sse: connection handed back")

func (l *oneConnListener) Accept() (net.Conn, error) {
	if l.taken {
		return nil, errHandedBack
	}
	l.taken = true
	return l.conn, nil
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }
