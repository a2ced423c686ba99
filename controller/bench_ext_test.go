package controller_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

type benchBody struct {
	Title  string   `json:"title" validate:"required,max=100"`
	Tags   []string `json:"tags" validate:"max=10,dive,min=1"`
	Author author   `json:"author"`
}

type benchIn struct {
	UID  string    `query:"uid" validate:"required"`
	Body benchBody `body:""`
}

type benchOut struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type streamQuery struct {
	UID string `query:"uid" validate:"required"`
}

func benchRouter() *controller.Router {
	r, _ := newRouter(nil)
	r.Mount("/notify", controller.RoutesFunc(func(r *controller.Router) {
		controller.Post(r, "/", func(_ context.Context, in *benchIn) (benchOut, error) {
			return benchOut{ID: in.UID, Title: in.Body.Title}, nil
		})
		controller.SSE(r, "/stream", func(_ context.Context, in *streamQuery) (rx.Observable[sse.MessageEvent], error) {
			return rx.Of(sse.MessageEvent{Data: in.UID}), nil
		})
	}))
	return r
}

const benchPayload = `{"title":"hello","tags":["a","bb"],"author":{"name":"ann"}}`

// discard is a ResponseWriter that keeps nothing, so a benchmark measures
// the router alone.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }
func (d *discard) Flush()                      {}

func (d *discard) SetWriteDeadline(time.Time) error { return nil }

// BenchmarkPostJSON: a POST with a validated JSON body and a query
// parameter, answered with JSON, in process (no network).
func BenchmarkPostJSON(b *testing.B) {
	r := benchRouter()
	body := strings.NewReader(benchPayload)
	req, _ := http.NewRequest("POST", "/notify?uid=u1", body)
	req.Header.Set("Content-Type", "application/json")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(benchPayload)
		req.Body = io.NopCloser(body)
		req.ContentLength = int64(len(benchPayload))
		clear(w.h)
		w.n = 0
		r.ServeHTTP(w, req)
		if w.status != 201 || w.n != len(`{"id":"u1","title":"hello"}`) {
			b.Fatalf("got %d, %d bytes", w.status, w.n)
		}
	}
}

// BenchmarkSseFirstEvent: an SSE request, bound and validated, up to its
// first event (the stream then completes), in process.
func BenchmarkSseFirstEvent(b *testing.B) {
	r := benchRouter()
	req, _ := http.NewRequest("GET", "/notify/stream?uid=u1", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.n = 0
		r.ServeHTTP(w, req)
		if w.status != 200 || w.n != len("\nid: 1\ndata: u1\n\n") {
			b.Fatalf("got %d, %d bytes", w.status, w.n)
		}
	}
}

// BenchmarkPostJSONOverHTTP is BenchmarkPostJSON through a loopback
// connection and net/http's client and server.
func BenchmarkPostJSONOverHTTP(b *testing.B) {
	srv := serveKeepAlive(b, benchRouter())
	b.ReportAllocs()
	for b.Loop() {
		res, err := srv.client.Post(srv.URL+"/notify?uid=u1", "application/json", strings.NewReader(benchPayload))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			b.Fatal(res.Status)
		}
	}
}

// BenchmarkSseFirstEventOverHTTP: from sending an SSE request to reading
// its first event, through a loopback connection.
func BenchmarkSseFirstEventOverHTTP(b *testing.B) {
	srv := serveKeepAlive(b, benchRouter())
	want := []byte("data: u1\n")
	b.ReportAllocs()
	for b.Loop() {
		res, err := srv.client.Get(srv.URL + "/notify/stream?uid=u1")
		if err != nil {
			b.Fatal(err)
		}
		rd := bufio.NewReader(res.Body)
		for {
			line, err := rd.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			if bytes.Equal(line, want) {
				break
			}
		}
		_, _ = io.Copy(io.Discard, rd)
		res.Body.Close()
	}
}

// serveKeepAlive serves h with a client that reuses its connection.
func serveKeepAlive(b *testing.B, h http.Handler) *server {
	s := serve(b, h)
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	b.Cleanup(tr.CloseIdleConnections)
	s.client = &http.Client{Transport: tr}
	return s
}
