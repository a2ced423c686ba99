package sse_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// http.Server.Shutdown ends every open stream, detached from net/http or
// attached to it, with nothing to wire: the handler's account registered
// itself with the server. (Shutdown would wait forever for an attached
// stream that nothing ends.)
func TestServerShutdownEndsStreams(t *testing.T) {
	t.Parallel()
	for _, attached := range []bool{false, true} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: sse.Handler(just(rx.Never[string]()), &sse.Options{Attached: attached})}
		go srv.Serve(ln)
		var streams []*ssetest.Stream
		for range 3 {
			st, err := ssetest.Open(t.Context(), nil, "http://"+ln.Addr().String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			streams = append(streams, st)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		if err := srv.Shutdown(ctx); err != nil {
			t.Fatalf("attached=%v: Shutdown: %v", attached, err)
		}
		cancel()
		for i, st := range streams {
			done := make(chan error, 1)
			go func() {
				_, err := io.ReadAll(st.Response.Body)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("attached=%v: stream %d ended with %v, want a clean end", attached, i, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("attached=%v: stream %d still open after Shutdown", attached, i)
			}
			st.Close()
		}
	}
}

// Closing a test server made with the test kit ends its open streams
// cleanly, as the docs teach (httptest.Server.Close alone would not: net/http
// tells nobody).
func TestTestServerCloseEndsStreams(t *testing.T) {
	t.Parallel()
	srv := ssetest.NewServer(t, sse.Handler(just(rx.Never[string]()), nil))
	st, err := ssetest.Open(t.Context(), nil, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv.WaitStreams(t, "/", 1)
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(st.Response.Body)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("stream ended with %v, want a clean end", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stream still open after Close")
	}
	<-closed
}

// A stream that ends cleanly after it left net/http gives its connection
// back to the server: the client sends its next request on it, as HTTP/1.1
// lets it, and is answered.
func TestConnectionReusedAfterDetachedStreamEnds(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("GET /stream", sse.Handler(just(rx.Take(rx.Interval(10*time.Millisecond), 3)), nil))
	mux.HandleFunc("POST /next", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "next") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()

	var reused []bool
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
	ctx := httptrace.WithClientTrace(t.Context(), trace)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/stream", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "\n" + numberedData(0, 1, 2); err != nil || string(body) != want {
		t.Fatalf("stream body %q, %v; want %q", body, err, want)
	}
	for i := range 3 {
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/next", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d after the stream: %v", i, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "next" {
			t.Fatalf("request %d after the stream: %q", i, b)
		}
	}
	if len(reused) != 4 || reused[0] || !reused[1] || !reused[2] || !reused[3] {
		t.Errorf("connections reused: %v, want [false true true true]", reused)
	}
}

// Streams.Close cuts a stream whose client stopped reading at once, instead
// of leaving it to its write timeout: here one whose synchronous source is
// written in place, inside Subscribe, when its queue of 4 is full.
func TestStreamsCloseCutsStalledStreams(t *testing.T) {
	t.Parallel()
	account := new(sse.Streams)
	big := strings.Repeat("z", 1<<20)
	srv := httptest.NewServer(sse.Handler(just(rx.Map(rx.Range(0, 16), func(int) string { return big })),
		&sse.Options{Streams: account, QueueSize: 4, QueueBytes: 64 << 20, WriteTimeout: time.Minute}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	deadline := time.Now().Add(10 * time.Second)
	for account.Len() != 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	account.Close()
	for account.Len() != 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%d streams still open 5 s after Close", account.Len())
		}
		time.Sleep(time.Millisecond)
	}
}
