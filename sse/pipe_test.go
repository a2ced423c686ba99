package sse_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
)

// pipeListener serves connections made of net.Pipe, so that a server runs
// inside a testing/synctest bubble, where time is fake and "every goroutine
// is blocked" can be waited for.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial connects a client.
func (l *pipeListener) dial() net.Conn {
	server, client := net.Pipe()
	l.conns <- server
	return client
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// pipeServer starts h on a pipe listener; stop closes everything.
func pipeServer(h http.Handler) (l *pipeListener, stop func()) {
	l = newPipeListener()
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	return l, func() {
		_ = srv.Close()
		<-done
	}
}

// pipeClient is a raw HTTP/1.1 client on one pipe connection that keeps
// reading the de-chunked body into a buffer, unless told not to read.
type pipeClient struct {
	conn net.Conn
	mu   sync.Mutex
	resp *http.Response
	body []byte
	err  error
	done chan struct{}
}

// get sends a GET for path; with read false the client never reads the
// response (a stalled peer).
func (l *pipeListener) get(t *testing.T, path string, read bool) *pipeClient {
	t.Helper()
	c := &pipeClient{conn: l.dial(), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		if _, err := io.WriteString(c.conn, "GET "+path+" HTTP/1.1\r\nHost: pipe\r\n\r\n"); err != nil {
			c.setErr(err)
			return
		}
		if !read {
			return
		}
		c.read()
	}()
	return c
}

// resume starts reading a client made with read false.
func (c *pipeClient) resume() {
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		c.read()
	}()
}

func (c *pipeClient) read() {
	{
		if !c.readHead() {
			return
		}
		c.readBody()
	}
}

// readHead reads the response head.
func (c *pipeClient) readHead() bool {
	resp, err := http.ReadResponse(bufio.NewReader(c.conn), nil)
	if err != nil {
		c.setErr(err)
		return false
	}
	c.mu.Lock()
	c.resp = resp
	c.mu.Unlock()
	return true
}

// readBody reads the de-chunked body until it ends.
func (c *pipeClient) readBody() {
	resp := c.resp
	{
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			c.mu.Lock()
			c.body = append(c.body, buf[:n]...)
			c.mu.Unlock()
			if err != nil {
				if err != io.EOF {
					c.setErr(err)
				}
				return
			}
		}
	}
}

func (c *pipeClient) setErr(err error) {
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
}

// Body returns what was read so far.
func (c *pipeClient) Body() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.body)
}

// close drops the connection and waits for the reader to stop.
func (c *pipeClient) close() {
	c.conn.Close()
	<-c.done
}

// resumeHeadOnly reads the response head and the body's first line feed of
// a client made with read false, then stops reading.
func (c *pipeClient) resumeHeadOnly(t *testing.T) {
	t.Helper()
	if !c.readHead() {
		t.Fatalf("reading the head: %v", c.err)
	}
	var lf [1]byte
	if _, err := io.ReadFull(c.resp.Body, lf[:]); err != nil || lf[0] != '\n' {
		t.Fatalf("first body byte %q: %v", lf, err)
	}
}

// resumeBody reads the rest of the body in the background.
func (c *pipeClient) resumeBody() {
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		c.readBody()
	}()
}
