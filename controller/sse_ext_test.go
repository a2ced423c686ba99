package controller_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// parses counts how many times it is decoded from a request.
type parses struct{}

var parseCount atomic.Int32

func (p *parses) UnmarshalText(b []byte) error {
	parseCount.Add(1)
	return nil
}

type streamIn struct {
	N     int    `query:"n" validate:"min=1,max=5"`
	Topic string `path:"topic" validate:"alpha"`
	Count parses `query:"count"`
}

type tick struct {
	Topic string `json:"topic"`
	I     int    `json:"i"`
}

// streams is a controller with SSE routes.
type streams struct{}

func (streams) Routes(r *controller.Router) {
	controller.SSE(r, "/{topic}", func(ctx context.Context, in *streamIn) (rx.Observable[sse.MessageEvent], error) {
		if in.Topic == "missing" {
			return rx.Observable[sse.MessageEvent]{}, controller.NotFound("no such stream")
		}
		controller.Header(ctx).Set("X-Topic", in.Topic)
		controller.Header(ctx).Set("Cache-Control", "max-age=60") // the SSE header wins
		return rx.Map(rx.Take(rx.FromSeq(count()), in.N), func(i int) sse.MessageEvent {
			return sse.MessageEvent{Data: tick{Topic: in.Topic, I: i}}
		}), nil
	})
	controller.SSE(r, "/{topic}/plain", func(_ context.Context, in *streamIn) (rx.Observable[tick], error) {
		return rx.Of(tick{in.Topic, 1}, tick{in.Topic, 2}), nil
	})
	type postIn struct {
		Body struct {
			Words []string `json:"words" validate:"required,min=1"`
		} `body:""`
	}
	controller.SSE(r, "POST /words", func(_ context.Context, in *postIn) (rx.Observable[string], error) {
		return rx.From(in.Body.Words), nil
	})
	controller.SSE(r, "POST /words/ok", func(_ context.Context, in *postIn) (rx.Observable[string], error) {
		return rx.From(in.Body.Words), nil
	}, controller.Status(http.StatusOK))
	type putIn struct {
		Words []string `json:"words" validate:"required,min=1"`
	}
	controller.SSE(r, "PUT /words", func(_ context.Context, in *putIn) (rx.Observable[string], error) {
		return rx.From(in.Words), nil
	}, controller.ResponseHeader("X-Stream", "words"), controller.ResponseHeader("Content-Type", "text/plain"))
	controller.SSE(r, "/done", func(ctx context.Context, _ *struct{}) (rx.Observable[string], error) {
		controller.SetStatus(ctx, http.StatusNoContent) // tells an EventSource to stop reconnecting
		return rx.Empty[string](), nil
	})
	controller.SSE(r, "/fails", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Concat(rx.Of("a"), rx.Throw[string](controller.Gone("stream closed"))), nil
	})
	controller.SSE(r, "/crashes", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Concat(rx.Of("a"), rx.Throw[string](errors.New("disk on fire"))), nil
	})
	controller.SSE(r, "/resume", func(ctx context.Context, _ *struct{}) (rx.Observable[string], error) {
		return rx.Of("after " + controller.LastEventID(ctx)), nil
	})
}

// count yields 0, 1, 2, …
func count() func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; yield(i); i++ {
		}
	}
}

func TestSseRoutes(t *testing.T) {
	t.Parallel()
	r, logs := newRouter(nil)
	r.Mount("/sse", streams{})
	srv := serve(t, r)

	cases := []struct {
		name, method, path, body string
		header                   []string
		status                   int
		want                     string
	}{
		{"events", "GET", "/sse/news?n=3", "", nil, 200,
			"\nid: 1\ndata: {\"topic\":\"news\",\"i\":0}\n\nid: 2\ndata: {\"topic\":\"news\",\"i\":1}\n\nid: 3\ndata: {\"topic\":\"news\",\"i\":2}\n\n"},
		{"plain values become data", "GET", "/sse/news/plain?n=1", "", nil, 200,
			"\nid: 1\ndata: {\"topic\":\"news\",\"i\":1}\n\nid: 2\ndata: {\"topic\":\"news\",\"i\":2}\n\n"},
		{"POST with a body", "POST", "/sse/words", `{"words":["a","b"]}`, nil, 201, "\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"},
		{"PUT, the input is the body", "PUT", "/sse/words", `{"words":["a"]}`, nil, 200, "\nid: 1\ndata: a\n\n"},
		{"POST with Status", "POST", "/sse/words/ok", `{"words":["a"]}`, nil, 200, "\nid: 1\ndata: a\n\n"},
		{"SetStatus 204", "GET", "/sse/done", "", nil, 204, ""},
		{"HTTP error on the stream", "GET", "/sse/fails", "", nil, 200, "\nid: 1\ndata: a\n\nevent: error\nid: 2\ndata: stream closed\n\n"},
		{"other error on the stream", "GET", "/sse/crashes", "", nil, 200, "\nid: 1\ndata: a\n\nevent: error\nid: 2\ndata: Internal server error\n\n"},
		{"Last-Event-ID", "GET", "/sse/resume", "", []string{"Last-Event-ID", "41"}, 200, "\nid: 1\ndata: after 41\n\n"},
		{"lastEventId parameter", "GET", "/sse/resume?lastEventId=7", "", nil, 200, "\nid: 1\ndata: after 7\n\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.do(t, tc.method, tc.path, tc.body, tc.header...)
			res.check(t, tc.status, tc.want)
			checkSSEHeaders(t, res.header)
		})
	}
	if l := logs.String(); !contains(l, "disk on fire") {
		t.Errorf("log: %s", l)
	}

	t.Run("headers", func(t *testing.T) {
		res := srv.do(t, "GET", "/sse/news?n=1", "")
		if res.header.Get("X-Topic") != "news" {
			t.Errorf("handler's header lost: %v", res.header)
		}
	})
	t.Run("ResponseHeader", func(t *testing.T) {
		res := srv.do(t, "PUT", "/sse/words", `{"words":["a"]}`)
		if res.header.Get("X-Stream") != "words" || res.header.Get("Content-Type") != "text/event-stream" {
			t.Errorf("want X-Stream kept and the SSE Content-Type winning: %v", res.header)
		}
	})
	t.Run("HEAD", func(t *testing.T) {
		res := srv.do(t, "HEAD", "/sse/news?n=1", "")
		res.check(t, 200, "")
		checkSSEHeaders(t, res.header)
	})

	errorCases := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"validation", "GET", "/sse/news?n=9", "", 400,
			`{"message":["n must not be greater than 5"],"error":"Bad Request","statusCode":400}`},
		{"path validation", "GET", "/sse/n3ws?n=1", "", 400,
			`{"message":["topic must contain only letters (a-zA-Z)"],"error":"Bad Request","statusCode":400}`},
		{"handler error", "GET", "/sse/missing?n=1", "", 404,
			`{"message":"no such stream","error":"Not Found","statusCode":404}`},
		{"empty body", "POST", "/sse/words", "", 400,
			`{"message":"request body should not be empty","error":"Bad Request","statusCode":400}`},
		{"body validation", "POST", "/sse/words", `{"words":[]}`, 400,
			`{"message":["words must contain at least 1 elements"],"error":"Bad Request","statusCode":400}`},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.do(t, tc.method, tc.path, tc.body)
			res.check(t, tc.status, tc.want)
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" || res.header.Get("X-Accel-Buffering") != "" {
				t.Errorf("headers of an error before the stream: %v", res.header)
			}
		})
	}
}

func checkSSEHeaders(t *testing.T, h http.Header) {
	t.Helper()
	want := map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "private, no-cache, no-store, must-revalidate, max-age=0, no-transform",
		"Pragma":            "no-cache",
		"Expires":           "0",
		"X-Accel-Buffering": "no",
	}
	for k, v := range want {
		if got := h.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

// TestSseBindsOncePerRequest: parameters are bound and validated once per
// request, not per event.
func TestSseBindsOncePerRequest(t *testing.T) {
	r, _ := newRouter(nil)
	r.Mount("/sse", streams{})
	srv := serve(t, r)
	before := parseCount.Load()
	res := srv.do(t, "GET", "/sse/news?n=5&count=x", "")
	if res.status != 200 || strings.Count(res.body, "data: ") != 5 {
		t.Fatalf("got %d %q", res.status, res.body)
	}
	if n := parseCount.Load() - before; n != 1 {
		t.Errorf("bound %d times for one request of 5 events", n)
	}
}

// TestSseClientGoes: when the client leaves, the subscription is torn down.
func TestSseClientGoes(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	tornDown := make(chan struct{})
	controller.SSE(r, "/forever", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Create(func(s rx.Subscriber[string]) func() {
			s.Next("hello")
			return func() { close(tornDown) }
		}), nil
	})
	srv := serve(t, r)
	res, err := srv.client.Get(srv.URL + "/forever")
	if err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(res.Body)
	var got strings.Builder
	for !strings.HasSuffix(got.String(), "data: hello\n\n") {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("%v after %q", err, got.String())
		}
		got.WriteString(line)
	}
	if got.String() != "\nid: 1\ndata: hello\n\n" {
		t.Errorf("got %q", got.String())
	}
	res.Body.Close()
	select {
	case <-tornDown:
	case <-time.After(10 * time.Second):
		t.Fatal("the subscription outlived its client")
	}
}

// TestStreamOptions: the route's sse.Options apply (here its MaxStreams).
func TestStreamOptions(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	never := func(context.Context, *struct{}) (rx.Observable[string], error) { return rx.Never[string](), nil }
	controller.SSE(r, "/one", never, controller.SSEOptions(&sse.Options{MaxStreams: 1, RetryAfter: 2 * time.Second}))
	srv := serve(t, r)

	first, err := srv.client.Get(srv.URL + "/one")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Body.Close()
	if first.StatusCode != 200 {
		t.Fatalf("first stream: %s", first.Status)
	}
	res := srv.do(t, "GET", "/one", "")
	res.check(t, 503, `{"message":"too many open streams","error":"Service Unavailable","statusCode":503}`)
	if res.header.Get("Retry-After") != "2" {
		t.Errorf("headers %v", res.header)
	}
}
