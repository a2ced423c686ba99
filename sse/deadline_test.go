package sse_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// openPipe requests path on l and reads the response's head.
func openPipe(t *testing.T, l *pipeListener, path string) (*http.Response, func()) {
	t.Helper()
	conn := l.dial()
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: pipe\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp, func() { conn.Close() }
}

// A client that reads slowly but steadily, 200 KiB/s through 10 MB of
// events, is never cut, though the whole queue goes in one write that takes
// it 50 s: every bit of progress gives it another WriteTimeout.
func TestSlowSteadyReaderIsNeverCut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const events, size = 1000, 10 << 10
		logger, logs := testLogger()
		subject := rx.NewSubject[string]()
		l, stop := pipeServer(sse.Handler(just(subject.AsObservable()),
			&sse.Options{QueueSize: 2 * events, QueueBytes: 32 << 20, Heartbeat: -1, Logger: logger}))
		defer stop()
		resp, closeConn := openPipe(t, l, "/")
		defer closeConn()
		synctest.Wait() // subscribed
		data := strings.Repeat("x", size)
		for range events {
			subject.Next(data)
		}
		subject.Complete()

		start := time.Now()
		var body strings.Builder
		buf := make([]byte, 20<<10)
		for {
			n, err := resp.Body.Read(buf)
			body.Write(buf[:n])
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("after %d bytes and %v: %v", body.Len(), time.Since(start), err)
			}
			time.Sleep(100 * time.Millisecond) // 20 KiB per 100 ms
		}
		if got := strings.Count(body.String(), "data: "+data+"\n"); got != events {
			t.Errorf("%d events received, want %d", got, events)
		}
		if took := time.Since(start); took < 40*time.Second {
			t.Errorf("read in %v: the reader was not slow", took)
		}
		if strings.Contains(logs.String(), "disconnected") {
			t.Errorf("log: %s", logs)
		}
	})
}

// A client that stops reading is cut once it has taken nothing for
// WriteTimeout, and one log line says why.
func TestStalledReaderIsCutAfterWriteTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logger, logs := testLogger()
		subject := rx.NewSubject[string]()
		ended := make(chan struct{})
		src := rx.Finalize(subject.AsObservable(), func() { close(ended) })
		l, stop := pipeServer(sse.Handler(just(src),
			&sse.Options{WriteTimeout: 10 * time.Second, Heartbeat: -1, Logger: logger}))
		defer stop()
		_, closeConn := openPipe(t, l, "/")
		defer closeConn()
		synctest.Wait()
		start := time.Now()
		subject.Next(strings.Repeat("y", 64<<10)) // more than a pipe takes unread
		<-ended
		if took := time.Since(start); took != 10*time.Second {
			t.Errorf("cut after %v, want the write timeout (10s)", took)
		}
		synctest.Wait()
		if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "stalled client disconnected") {
			t.Errorf("log (%d lines): %s", n, logs)
		}
	})
}
