package main

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rxsse/rxsse/internal/testlog"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// A keep-alive connection left idle after a request is closed after the
// idle timeout; an open stream, never idle, stays open.
func TestIdleTimeout(t *testing.T) {
	const idle = 300 * time.Millisecond
	i := startInstance(t, config{JWTSecret: demoSecret, IdleTimeout: idle}, tuning{HelloPeriod: 50 * time.Millisecond})
	s := ssetest.Connect(t, i.url()+"/sse")

	conn, err := net.Dial("tcp", i.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: demo\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("GET /: %d, close %v: want 200, kept alive", resp.StatusCode, resp.Close)
	}
	served := time.Now()
	conn.SetReadDeadline(served.Add(wait))
	_, err = br.ReadByte()
	idled := time.Since(served)
	if err != io.EOF {
		t.Fatalf("reading the idle connection: %v after %v, want EOF", err, idled)
	}
	if idled < idle-50*time.Millisecond || idled > idle+time.Second {
		t.Errorf("the idle connection was closed after %v, want %v", idled, idle)
	}
	// The stream, open for longer than the idle timeout, goes on: 20 more
	// events take a second.
	s.NextN(20)
}

// Over the cap on open streams, a stream request is answered 503 with
// Retry-After, and the server goes on serving everything else; a stream
// that ends frees its place.
func TestStreamCap(t *testing.T) {
	t.Run("MaxStreams", func(t *testing.T) {
		i := startInstance(t, config{JWTSecret: demoSecret, MaxStreams: 3}, tuning{HelloPeriod: 20 * time.Millisecond})
		var open []*ssetest.Conn
		for _, path := range []string{"/sse", "/sse", "/push?uid=1"} {
			s := ssetest.Connect(t, i.url()+path)
			s.NextN(1)
			open = append(open, s)
		}
		for _, path := range []string{"/sse", "/notify/stream", "/location/sse"} {
			got := ssetest.Do(t, "GET", i.url()+path, "", "Accept", "text/event-stream")
			want := `{"message":"too many open streams","error":"Service Unavailable","statusCode":503}`
			if got.Status != 503 || got.Header.Get("Retry-After") != "5" || got.Body != want {
				t.Errorf("GET %s over the cap: %d, Retry-After %q, %s; want 503, 5, %s", path, got.Status, got.Header.Get("Retry-After"), got.Body, want)
			}
		}
		// Everything else is served, the open streams too.
		if got := ssetest.Do(t, "GET", i.url()+"/", ""); got.Status != 200 {
			t.Errorf("GET /: %d", got.Status)
		}
		if got := ssetest.PostJSON(t, i.url()+"/update", `{"uid":"1","msg":"still here"}`); got.Status != 200 {
			t.Errorf("POST /update: %d %s", got.Status, got.Body)
		}
		if got := open[2].NextN(1)[0].Data; got != `{"msg":"1的消息>>still here","uid":"1"}` {
			t.Errorf("the inbox stream got %s", got)
		}
		open[0].NextN(5)
		open[1].NextN(5)

		open[0].Close()
		waitFor(t, func() bool { return i.app.streams.Len() == 2 })
		s := ssetest.Connect(t, i.url()+"/sse")
		s.NextN(1)
	})
	t.Run("MaxStreamsPerClient", func(t *testing.T) {
		i := startInstance(t, config{JWTSecret: demoSecret, MaxStreamsPerClient: 2}, tuning{HelloPeriod: 20 * time.Millisecond})
		for range 2 {
			ssetest.Connect(t, i.url()+"/sse").NextN(1)
		}
		got := ssetest.Do(t, "GET", i.url()+"/sse", "", "Accept", "text/event-stream")
		if got.Status != 503 || got.Header.Get("Retry-After") == "" {
			t.Errorf("a third stream from one address: %d, Retry-After %q; want 503 with Retry-After", got.Status, got.Header.Get("Retry-After"))
		}
	})
}

// waitFor polls cond until it holds, failing the test after wait.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Out of file descriptors, net/http backs off and retries accepting; the
// log says so once, not at every retry, and the server serves again as
// soon as accepting works.
func TestAcceptErrorsLoggedOnce(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &failingListener{Listener: inner}
	ln.fails.Store(6) // net/http waits 5, 10, …, 160 ms between them
	var logs testlog.Buffer
	i := startInstanceOn(t, ln, config{JWTSecret: demoSecret}, tuning{}, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if got := ssetest.Do(t, "GET", i.url()+"/", ""); got.Status != 200 {
		t.Fatalf("GET /: %d", got.Status)
	}
	if ln.fails.Load() >= 0 {
		t.Fatal("the listener did not fail")
	}
	if n := strings.Count(logs.String(), "Accept error"); n != 1 {
		t.Errorf("%d lines about accept errors, want 1:\n%s", n, logs.String())
	}
}

// failingListener fails as many Accepts as fails says, as a process out of
// file descriptors does.
type failingListener struct {
	net.Listener
	fails atomic.Int32
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}
