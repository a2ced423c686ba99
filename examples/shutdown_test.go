package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rxsse/rxsse/sse/ssetest"
)

// Shutdown does not wait for connections that carry no request: a
// keep-alive connection idle after a request, and one on which nothing has
// come yet (browsers open some ahead of need; net/http alone would wait
// 5 s for it) are closed at once, and with no stream open serve returns at
// once, long before the grace.
func TestShutdownClosesIdleConnectionsAtOnce(t *testing.T) {
	i := startInstance(t, config{JWTSecret: demoSecret, ShutdownGrace: 3 * time.Second}, tuning{HelloPeriod: 10 * time.Millisecond})
	idle := keepAlive(t, i.addr)
	fresh := dial(t, i.addr, 0)
	s := ssetest.Connect(t, i.url()+"/sse") // a stream that reads: it ends at once
	s.NextN(1)

	start := time.Now()
	i.stop()
	took := time.Since(start)
	t.Logf("shutdown took %v", took)
	if took > time.Second {
		t.Errorf("shutdown took %v, want at once", took)
	}
	s.ExpectEnd()
	expectClosed(t, "the idle connection", idle)
	expectClosed(t, "the fresh connection", fresh)
}

// A stalled client (it reads nothing, and its stream has events waiting)
// gets the grace to take its last events, no more: serve returns after the
// grace, however many connections are left.
func TestShutdownGrace(t *testing.T) {
	const grace = time.Second
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	i := startInstanceOn(t, smallSendBuffers{inner}, config{JWTSecret: demoSecret, ShutdownGrace: grace}, tuning{}, nil)

	// The stalled client: a small receive buffer, read up to its first
	// event, then never again, while 640 KB of events come for it: far more
	// than the sockets hold, less than its queue takes (sse.DefaultQueueBytes).
	stalled := dial(t, i.addr, 4<<10)
	fmt.Fprintf(stalled, "GET /push?uid=1 HTTP/1.1\r\nHost: demo\r\nAccept: text/event-stream\r\n\r\n")
	br := bufio.NewReader(stalled)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the stalled client's stream: %v %v", resp, err)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "data: ") {
			break
		}
	}
	big := strings.Repeat("x", 32<<10)
	for range 20 {
		if got := ssetest.PostJSON(t, i.url()+"/update", `{"uid":"1","msg":"`+big+`"}`); got.Status != 200 {
			t.Fatalf("POST /update: %d %s", got.Status, got.Body)
		}
	}
	idle := keepAlive(t, i.addr)
	fresh := dial(t, i.addr, 0)

	start := time.Now()
	i.stop()
	took := time.Since(start)
	t.Logf("shutdown took %v (grace %v)", took, grace)
	if took < grace-100*time.Millisecond || took > grace+time.Second {
		t.Errorf("shutdown with a stalled client took %v, want the grace, %v", took, grace)
	}
	expectClosed(t, "the idle connection", idle)
	expectClosed(t, "the fresh connection", fresh)
}

// dial connects to addr, with a receive buffer of rcvbuf bytes when
// positive (set before connecting, so that the window is small from the
// start). The connection is closed when the test ends.
func dial(t *testing.T, addr string, rcvbuf int) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: wait}
	if rcvbuf > 0 {
		d.Control = func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			if err != nil {
				return err
			}
			return serr
		}
	}
	c, err := d.DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// keepAlive returns a connection left idle after one request.
func keepAlive(t *testing.T, addr string) net.Conn {
	t.Helper()
	c := dial(t, addr, 0)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: demo\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("GET /: %d, close %v", resp.StatusCode, resp.Close)
	}
	return c
}

// expectClosed checks that the server has closed c.
func expectClosed(t *testing.T, what string, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("%s after shutdown: %v, want EOF", what, err)
	}
}

// smallSendBuffers gives every connection it accepts a small send buffer,
// so that a client that stops reading stalls its stream after a few KB.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(8 << 10)
	}
	return c, err
}
