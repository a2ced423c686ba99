package sse_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

var wantSSEHeaders = map[string]string{
	"Content-Type":      "text/event-stream",
	"Cache-Control":     "private, no-cache, no-store, must-revalidate, max-age=0, no-transform",
	"Pragma":            "no-cache",
	"Expires":           "0",
	"X-Accel-Buffering": "no",
}

// rawGet sends a GET over a plain TCP connection and returns the response
// head as sent and the de-chunked body.
func rawGet(t *testing.T, url, path string) (head string, resp *http.Response, body string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	var raw strings.Builder
	br := bufio.NewReader(io.TeeReader(conn, &raw))
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ = strings.Cut(raw.String(), "\r\n\r\n")
	return head, resp, string(b)
}

func TestHeadersHTTP1(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, nil, func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		h := w.Header()
		h["content-type"] = []string{"text/plain"} // not canonical: still replaced
		h.Set("Cache-Control", "max-age=3600")
		h.Set("CONNECTION", "close")
		h.Set("Content-Length", "12")
		h.Set("X-Custom", "kept")
		h.Set("Access-Control-Allow-Origin", "*")
		return rx.Of("a"), nil
	})
	head, resp, body := rawGet(t, srv.URL, "/")
	if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("status line: %q", head)
	}
	got := map[string][]string{}
	for _, line := range strings.Split(head, "\r\n")[1:] {
		k, v, _ := strings.Cut(line, ": ")
		got[k] = append(got[k], v)
	}
	want := map[string][]string{
		"Connection":                  {"keep-alive"},
		"X-Custom":                    {"kept"},
		"Access-Control-Allow-Origin": {"*"},
		"Transfer-Encoding":           {"chunked"},
		"Date":                        got["Date"],
	}
	for k, v := range wantSSEHeaders {
		want[k] = []string{v}
	}
	if len(got["Date"]) != 1 {
		t.Errorf("Date header: %q", got["Date"])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("headers:\n%v\nwant\n%v", got, want)
	}
	if body != "\nid: 1\ndata: a\n\n" {
		t.Errorf("body %q", body)
	}
	_ = resp
}

func TestHeadersHTTP2HaveNoConnection(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(sse.Handler(just(rx.Of("a")), nil))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	resp, body := fetch(t, srv.Client(), http.MethodGet, srv.URL, nil)
	if resp.ProtoMajor != 2 {
		t.Fatalf("proto %s, want HTTP/2", resp.Proto)
	}
	if _, ok := resp.Header["Connection"]; ok {
		t.Errorf("HTTP/2 response has a Connection header: %q", resp.Header["Connection"])
	}
	for k, v := range wantSSEHeaders {
		if got := resp.Header.Values(k); !slices.Equal(got, []string{v}) {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if body != "\nid: 1\ndata: a\n\n" {
		t.Errorf("body %q", body)
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		set    int
		want   int
		body   string
	}{
		{"GET defaults to 200", http.MethodGet, 0, 200, "\nid: 1\ndata: a\n\n"},
		{"POST defaults to 201", http.MethodPost, 0, 201, "\nid: 1\ndata: a\n\n"},
		{"handler sets 202", http.MethodGet, 202, 202, "\nid: 1\ndata: a\n\n"},
		{"204 sends no body", http.MethodGet, 204, 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serveStream(t, nil, func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
				if tt.set != 0 {
					w.WriteHeader(tt.set)
				}
				return rx.Of("a"), nil
			})
			resp, body := fetch(t, nil, tt.method, srv.URL, nil)
			if resp.StatusCode != tt.want || body != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.want, tt.body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestHeadSendsHeadersOnly(t *testing.T) {
	t.Parallel()
	subscribed := make(chan struct{}, 1)
	srv := serveStream(t, nil, just(rx.Create(func(s rx.Subscriber[string]) func() {
		subscribed <- struct{}{}
		s.Next("a")
		s.Complete()
		return nil
	})))
	resp, body := fetch(t, nil, http.MethodHead, srv.URL, nil)
	if resp.StatusCode != 200 || body != "" {
		t.Errorf("HEAD: %d %q", resp.StatusCode, body)
	}
	for k, v := range wantSSEHeaders {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	select {
	case <-subscribed:
		t.Error("HEAD subscribed to the stream")
	default:
	}
}

// Headers go out one tick after subscribing even when no event comes.
func TestHeadersGoOutWithoutEvents(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, nil, just(rx.Never[string]()))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 8)
	n, err := resp.Body.Read(buf)
	if err != nil || string(buf[:n]) != "\n" {
		t.Fatalf("first body bytes %q, %v; want a single LF", buf[:n], err)
	}
}

// Options.Retry sends a retry hint right after the headers, before any
// event.
func TestRetryHint(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, &sse.Options{Retry: 2500 * time.Millisecond}, just(rx.Of("a")))
	_, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	if body != "\nretry: 2500\n\nid: 1\ndata: a\n\n" {
		t.Errorf("body %q", body)
	}
}

// A 204 ends the stream at once, and its connection serves the next
// request.
func TestNoContentKeepsTheConnection(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/stream", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		w.WriteHeader(http.StatusNoContent)
		return rx.Never[string](), nil
	}, &sse.Options{WriteTimeout: 50 * time.Millisecond}))
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "plain")
	})
	srv := httptestServer(t, mux)
	var conns atomic.Int64
	client := srv.Client()
	client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conns.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	if resp, body := fetch(t, client, http.MethodGet, srv.URL+"/stream", nil); resp.StatusCode != 204 || body != "" {
		t.Fatalf("stream: %d %q", resp.StatusCode, body)
	}
	time.Sleep(100 * time.Millisecond) // past the stream's write timeout
	if resp, body := fetch(t, client, http.MethodGet, srv.URL+"/plain", nil); resp.StatusCode != 200 || body != "plain" {
		t.Fatalf("plain: %d %q", resp.StatusCode, body)
	}
	if conns.Load() != 1 {
		t.Errorf("%d connections, want 1 (kept alive)", conns.Load())
	}
}
