package controller_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

// TestEveryErrorAnswer: each error the framework answers by itself, byte
// for byte as Nest 12.5.1 writes it: statusCode last, except the generic
// 500.
func TestEveryErrorAnswer(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(&controller.Options{MaxBodyBytes: 16})
	bearer := controller.BearerGuard(func(context.Context, string) (any, error) { return nil, errors.New("bad") }, nil)
	deny := controller.CanActivate(func(*http.Request) bool { return false })
	type body struct {
		Name string `json:"name" validate:"required"`
	}
	type query struct {
		UID string `query:"uid" validate:"required"`
		N   int    `query:"n" pipe:"int,optional"`
	}
	ok := func(context.Context, *struct{}) (string, error) { return "ok", nil }
	controller.Get(r, "/bearer", ok, controller.Guards(bearer))
	controller.Get(r, "/deny", ok, controller.Guards(deny))
	controller.Post(r, "/body", func(context.Context, *body) (string, error) { return "ok", nil })
	controller.Get(r, "/query", func(context.Context, *query) (string, error) { return "ok", nil })
	controller.SSE(r, "/stream", func(context.Context, *query) (rx.Observable[string], error) { return rx.Of("a"), nil },
		controller.Guards(deny))
	controller.Get(r, "/crash", func(context.Context, *struct{}) (string, error) { return "", errors.New("secret") })
	srv := serve(t, r)

	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		want                     string
	}{
		{"unknown route", "GET", "/nope?x=1", "", nil, 404, `{"message":"Cannot GET /nope?x=1","error":"Not Found","statusCode":404}`},
		{"known path, other method", "DELETE", "/deny", "", nil, 404, `{"message":"Cannot DELETE /deny","error":"Not Found","statusCode":404}`},
		{"no token", "GET", "/bearer", "", nil, 401, `{"message":"Unauthorized","statusCode":401}`},
		{"bad token", "GET", "/bearer", "", []string{"Authorization", "Bearer x"}, 401, `{"message":"Unauthorized","statusCode":401}`},
		{"guard says no", "GET", "/deny", "", nil, 403, `{"message":"Forbidden resource","error":"Forbidden","statusCode":403}`},
		{"guard says no to a stream", "GET", "/stream?uid=1", "", nil, 403, `{"message":"Forbidden resource","error":"Forbidden","statusCode":403}`},
		{"validation", "GET", "/query", "", nil, 400, `{"message":["uid should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"pipe", "GET", "/query?uid=1&n=x", "", nil, 400, `{"message":"Validation failed (numeric string is expected)","error":"Bad Request","statusCode":400}`},
		{"repeated parameter", "GET", "/query?uid=1&uid=2", "", nil, 400, `{"message":["uid must be a string"],"error":"Bad Request","statusCode":400}`},
		{"body validation", "POST", "/body", `{}`, nil, 400, `{"message":["name should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"malformed body", "POST", "/body", `{`, nil, 400, `{"message":"request body is not valid JSON: unexpected end of input","error":"Bad Request","statusCode":400}`},
		{"body too large", "POST", "/body", `{"name":"0123456789abcdef"}`, nil, 413, `{"message":"request body is larger than 16 bytes","error":"Payload Too Large","statusCode":413}`},
		{"wrong content type", "POST", "/body", `{}`, []string{"Content-Type", "text/plain"}, 415, `{"message":"Content-Type must be application/json","error":"Unsupported Media Type","statusCode":415}`},
		{"unknown error", "GET", "/crash", "", nil, 500, `{"statusCode":500,"message":"Internal server error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := srv.do(t, tc.method, tc.path, tc.body, tc.header...)
			res.check(t, tc.status, tc.want)
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(res.header.Get("Content-Type"), "event-stream") {
				t.Error("an error answer has SSE headers")
			}
		})
	}
}
