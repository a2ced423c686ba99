package controller_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

// suffix is an interceptor that appends s to every value.
func suffix(s string) controller.Interceptor[string] {
	return func(_ context.Context, next rx.Observable[string]) rx.Observable[string] {
		return rx.Map(next, func(v string) string { return v + s })
	}
}

func TestInterceptors(t *testing.T) {
	t.Parallel()
	r, logs := newRouter(nil)
	var calls atomic.Int32
	upper := controller.MapEach(func(ctx context.Context, v string) (string, error) {
		calls.Add(1)
		if v == "forbidden" {
			return "", controller.Forbidden("not this one")
		}
		u, _ := controller.User[string](ctx)
		return strings.ToUpper(v) + u, nil
	})
	fallback := func(_ context.Context, next rx.Observable[string]) rx.Observable[string] {
		return rx.CatchError(next, func(err error) rx.Observable[string] { return rx.Of("fallback: " + err.Error()) })
	}
	setUser := controller.Guards(func(r *http.Request) error { controller.SetUser(r.Context(), "!"); return nil })
	type words struct {
		W []string `query:"w"`
	}
	stream := func(_ context.Context, in *words) (rx.Observable[string], error) { return rx.From(in.W), nil }
	first := func(_ context.Context, in *words) (string, error) {
		if len(in.W) == 0 {
			return "", controller.NotFound("no word")
		}
		return in.W[0], nil
	}

	controller.SSE(r, "/sse/each", stream, controller.Intercept(upper), setUser)
	controller.SSE(r, "/sse/order", stream, controller.Intercept(suffix("a"), suffix("b")), controller.Intercept(suffix("c")))
	controller.SSE(r, "/sse/catch", func(context.Context, *words) (rx.Observable[string], error) {
		return rx.Observable[string]{}, errors.New("handler failed")
	}, controller.Intercept(fallback))
	controller.SSE(r, "/sse/panic", stream, controller.Intercept(func(context.Context, rx.Observable[string]) rx.Observable[string] {
		panic("interceptor bug")
	}))
	controller.Get(r, "/json/each", first, controller.Intercept(upper), setUser)
	controller.Get(r, "/json/order", first, controller.Intercept(suffix("a"), suffix("b")))
	controller.Get(r, "/json/catch", first, controller.Intercept(fallback))
	controller.Get(r, "/json/empty", first, controller.Intercept(func(_ context.Context, next rx.Observable[string]) rx.Observable[string] {
		return rx.Filter(next, func(string) bool { return false })
	}))
	srv := serve(t, r)

	cases := []struct {
		name, path string
		status     int
		body       string
	}{
		{"per event", "/sse/each?w=a&w=b&w=c", 200, "\nid: 1\ndata: A!\n\nid: 2\ndata: B!\n\nid: 3\ndata: C!\n\n"},
		{"error from an event after the first", "/sse/each?w=a&w=forbidden&w=c", 200, "\nid: 1\ndata: A!\n\nevent: error\nid: 2\ndata: not this one\n\n"},
		{"error from the first event", "/sse/each?w=forbidden", 403, `{"message":"not this one","error":"Forbidden","statusCode":403}`},
		{"first is outermost", "/sse/order?w=x", 200, "\nid: 1\ndata: xcba\n\n"},
		{"catches the handler's error", "/sse/catch", 200, "\nid: 1\ndata: fallback: handler failed\n\n"},
		{"panic", "/sse/panic?w=x", 500, `{"statusCode":500,"message":"Internal server error"}`},
		{"result", "/json/each?w=a", 200, "A!"},
		{"result error", "/json/each?w=forbidden", 403, `{"message":"not this one","error":"Forbidden","statusCode":403}`},
		{"result order", "/json/order?w=x", 200, "xba"},
		{"catches the handler's error, JSON", "/json/catch", 200, "fallback: 404 Not Found: no word"},
		{"error passes through", "/json/each", 404, `{"message":"no word","error":"Not Found","statusCode":404}`},
		{"no result left", "/json/empty?w=x", 500, `{"statusCode":500,"message":"Internal server error"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.do(t, "GET", tc.path, "").check(t, tc.status, tc.body)
		})
	}
	if l := logs.String(); !contains(l, "interceptor bug") || !contains(l, "produced no result") {
		t.Errorf("log: %s", l)
	}
	calls.Store(0)
	srv.do(t, "GET", "/sse/each?w=a&w=b&w=c&w=d", "")
	if n := calls.Load(); n != 4 {
		t.Errorf("MapEach called %d times for 4 events", n)
	}
}
