package controller_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/httperr"
)

func TestNestErrorShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		err    error
		status int
		body   string
		logged string // "" means nothing is logged
	}{
		{"BadRequest", controller.BadRequest("bad uid"), 400, `{"message":"bad uid","error":"Bad Request","statusCode":400}`, ""},
		{"Unauthorized", controller.Unauthorized("who are you"), 401, `{"message":"who are you","error":"Unauthorized","statusCode":401}`, ""},
		{"Forbidden", controller.Forbidden("no"), 403, `{"message":"no","error":"Forbidden","statusCode":403}`, ""},
		{"NotFound", controller.NotFound("no such stream"), 404, `{"message":"no such stream","error":"Not Found","statusCode":404}`, ""},
		{"MethodNotAllowed", controller.MethodNotAllowed("m"), 405, `{"message":"m","error":"Method Not Allowed","statusCode":405}`, ""},
		{"NotAcceptable", controller.NotAcceptable("m"), 406, `{"message":"m","error":"Not Acceptable","statusCode":406}`, ""},
		{"RequestTimeout", controller.RequestTimeout("m"), 408, `{"message":"m","error":"Request Timeout","statusCode":408}`, ""},
		{"Conflict", controller.Conflict("taken"), 409, `{"message":"taken","error":"Conflict","statusCode":409}`, ""},
		{"Gone", controller.Gone("m"), 410, `{"message":"m","error":"Gone","statusCode":410}`, ""},
		{"PreconditionFailed", controller.PreconditionFailed("m"), 412, `{"message":"m","error":"Precondition Failed","statusCode":412}`, ""},
		{"PayloadTooLarge", controller.PayloadTooLarge("m"), 413, `{"message":"m","error":"Payload Too Large","statusCode":413}`, ""},
		{"UnsupportedMediaType", controller.UnsupportedMediaType("m"), 415, `{"message":"m","error":"Unsupported Media Type","statusCode":415}`, ""},
		{"UnprocessableEntity", controller.UnprocessableEntity("m"), 422, `{"message":"m","error":"Unprocessable Entity","statusCode":422}`, ""},
		{"TooManyRequests", controller.TooManyRequests("slow down"), 429, `{"message":"slow down","error":"Too Many Requests","statusCode":429}`, ""},
		{"InternalServerError", controller.InternalServerError("shown"), 500, `{"message":"shown","error":"Internal Server Error","statusCode":500}`, ""},
		{"NotImplemented", controller.NotImplemented("m"), 501, `{"message":"m","error":"Not Implemented","statusCode":501}`, ""},
		{"BadGateway", controller.BadGateway("m"), 502, `{"message":"m","error":"Bad Gateway","statusCode":502}`, ""},
		{"ServiceUnavailable", controller.ServiceUnavailable("m"), 503, `{"message":"m","error":"Service Unavailable","statusCode":503}`, ""},
		{"GatewayTimeout", controller.GatewayTimeout("m"), 504, `{"message":"m","error":"Gateway Timeout","statusCode":504}`, ""},
		{"NewError", controller.NewError(418, "short and stout"), 418, `{"message":"short and stout","error":"I'm a teapot","statusCode":418}`, ""},
		{"no message, as new NotFoundException()", controller.NotFound(""), 404, `{"message":"Not Found","statusCode":404}`, ""},
		{"ValidationFailed", controller.ValidationFailed("a is bad", "b is worse"), 400, `{"message":["a is bad","b is worse"],"error":"Bad Request","statusCode":400}`, ""},
		{"wrapped", fmt.Errorf("loading: %w", controller.Conflict("taken")), 409, `{"message":"taken","error":"Conflict","statusCode":409}`, ""},
		{"no HTML escaping", controller.BadRequest("<a&b>"), 400, `{"message":"<a&b>","error":"Bad Request","statusCode":400}`, ""},
		{"unknown error leaks nothing", errors.New("db password is hunter2"), 500, `{"statusCode":500,"message":"Internal server error"}`, "db password is hunter2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, logs := newRouter(nil)
			controller.Get(r, "/fail", func(context.Context, *struct{}) (string, error) { return "", tc.err })
			res := serve(t, r).do(t, "GET", "/fail", "")
			res.check(t, tc.status, tc.body)
			if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if got := logs.String(); tc.logged == "" && got != "" || !strings.Contains(got, tc.logged) {
				t.Errorf("log: %q, want it to hold %q", got, tc.logged)
			}
		})
	}
}

func TestPanicsAnswer500(t *testing.T) {
	t.Parallel()
	r, logs := newRouter(nil)
	controller.Get(r, "/panic", func(context.Context, *struct{}) (int, error) { panic("boom") })
	controller.Post(r, "/guard", func(context.Context, *struct{}) (int, error) { return 1, nil },
		controller.Guards(func(*http.Request) error { panic(errors.New("guard boom")) }))
	srv := serve(t, r)
	srv.do(t, "GET", "/panic", "").check(t, 500, `{"statusCode":500,"message":"Internal server error"}`)
	srv.do(t, "POST", "/guard", "").check(t, 500, `{"statusCode":500,"message":"Internal server error"}`)
	if l := logs.String(); !strings.Contains(l, "controller: panic: boom") || !strings.Contains(l, "guard boom") || !strings.Contains(l, "goroutine") {
		t.Errorf("log lacks the panics and their stacks: %s", l)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	controller.Get(r, "/items", func(context.Context, *struct{}) (string, error) { return "ok", nil })
	srv := serve(t, r)
	srv.do(t, "GET", "/nope?x=1", "").check(t, 404, `{"message":"Cannot GET /nope?x=1","error":"Not Found","statusCode":404}`)
	// As Nest (Express) does, a known path with another method is a 404.
	srv.do(t, "POST", "/items", "").check(t, 404, `{"message":"Cannot POST /items","error":"Not Found","statusCode":404}`)
	srv.do(t, "GET", "/", "").check(t, 404, `{"message":"Cannot GET /","error":"Not Found","statusCode":404}`)

	custom, _ := newRouter(&controller.Options{NotFound: http.NotFoundHandler()})
	serve(t, custom).do(t, "GET", "/nope", "").check(t, 404, "404 page not found\n")
}

func TestResults(t *testing.T) {
	t.Parallel()
	r, logs := newRouter(nil)
	type html struct {
		HTML string `json:"html"`
	}
	controller.Get(r, "/string", func(context.Context, *struct{}) (string, error) { return "ok", nil })
	controller.Get(r, "/int", func(context.Context, *struct{}) (int, error) { return 42, nil })
	controller.Get(r, "/float", func(context.Context, *struct{}) (float64, error) { return 0.1, nil })
	controller.Get(r, "/bool", func(context.Context, *struct{}) (bool, error) { return true, nil })
	controller.Get(r, "/struct", func(context.Context, *struct{}) (html, error) { return html{"<b>&</b>"}, nil })
	controller.Get(r, "/slice", func(context.Context, *struct{}) ([]int, error) { return []int{1, 2}, nil })
	controller.Get(r, "/nil", func(context.Context, *struct{}) (*html, error) { return nil, nil })
	controller.Get(r, "/any", func(context.Context, *struct{}) (any, error) { return map[string]int{"a": 1}, nil })
	controller.Get(r, "/anystring", func(context.Context, *struct{}) (any, error) { return "s", nil })
	controller.Get(r, "/anynil", func(context.Context, *struct{}) (any, error) { return nil, nil })
	controller.Get(r, "/plain", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.Header(ctx).Set("Content-Type", "text/plain; charset=utf-8")
		return "plain", nil
	})
	controller.Get(r, "/chan", func(context.Context, *struct{}) (chan int, error) { return make(chan int), nil })
	srv := serve(t, r)

	const (
		text = "text/html; charset=utf-8"
		js   = "application/json; charset=utf-8"
	)
	cases := []struct{ path, contentType, body string }{
		{"/string", text, "ok"},
		{"/int", text, "42"},
		{"/float", text, "0.1"},
		{"/bool", text, "true"},
		{"/struct", js, `{"html":"<b>&</b>"}`},
		{"/slice", js, `[1,2]`},
		{"/nil", "", ""},
		{"/any", js, `{"a":1}`},
		{"/anystring", text, "s"},
		{"/anynil", "", ""},
		{"/plain", "text/plain; charset=utf-8", "plain"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			res := srv.do(t, "GET", tc.path, "")
			res.check(t, 200, tc.body)
			if got := res.header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if got, want := res.header.Get("Content-Length"), fmt.Sprint(len(tc.body)); got != want {
				t.Errorf("Content-Length %q, want %q", got, want)
			}
		})
	}
	t.Run("HEAD", func(t *testing.T) {
		res := srv.do(t, "HEAD", "/struct", "")
		res.check(t, 200, "")
		if res.header.Get("Content-Length") != "19" || res.header.Get("Content-Type") != js {
			t.Errorf("headers %v", res.header)
		}
	})
	t.Run("result JSON cannot encode", func(t *testing.T) {
		srv.do(t, "GET", "/chan", "").check(t, 500, `{"statusCode":500,"message":"Internal server error"}`)
		if !strings.Contains(logs.String(), "unsupported type") {
			t.Errorf("log: %s", logs.String())
		}
	})
}

func TestStatusAndHeaders(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	ok := func(context.Context, *struct{}) (string, error) { return "ok", nil }
	controller.Get(r, "/get", ok)
	controller.Post(r, "/post", ok)
	controller.Put(r, "/put", ok)
	controller.Patch(r, "/patch", ok)
	controller.Delete(r, "/delete", ok)
	controller.Post(r, "/accepted", ok, controller.Status(http.StatusAccepted))
	controller.Post(r, "/set", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.SetStatus(ctx, http.StatusConflict)
		controller.SetStatus(ctx, 42) // not a status: ignored
		controller.Header(ctx).Set("X-Request-Id", "r1")
		controller.Header(ctx).Add("Set-Cookie", "a=b")
		return "set", nil
	}, controller.Status(http.StatusAccepted))
	controller.Delete(r, "/nocontent", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.SetStatus(ctx, http.StatusNoContent)
		return "dropped", nil
	})
	controller.Get(r, "/error-keeps-headers", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.Header(ctx).Set("Retry-After", "3")
		return "", controller.ServiceUnavailable("later")
	})
	srv := serve(t, r)

	srv.do(t, "GET", "/get", "").check(t, 200, "ok")
	srv.do(t, "POST", "/post", "").check(t, 201, "ok")
	srv.do(t, "PUT", "/put", "").check(t, 200, "ok")
	srv.do(t, "PATCH", "/patch", "").check(t, 200, "ok")
	srv.do(t, "DELETE", "/delete", "").check(t, 200, "ok")
	srv.do(t, "POST", "/accepted", "").check(t, 202, "ok")
	res := srv.do(t, "POST", "/set", "")
	res.check(t, 409, "set")
	if res.header.Get("X-Request-Id") != "r1" || res.header.Get("Set-Cookie") != "a=b" {
		t.Errorf("headers %v", res.header)
	}
	res = srv.do(t, "DELETE", "/nocontent", "")
	res.check(t, 204, "")
	res = srv.do(t, "GET", "/error-keeps-headers", "")
	res.check(t, 503, `{"message":"later","error":"Service Unavailable","statusCode":503}`)
	if res.header.Get("Retry-After") != "3" {
		t.Errorf("headers %v", res.header)
	}
}

func TestContextHelpersOutsideARoute(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	controller.SetStatus(ctx, 200)
	controller.SetUser(ctx, "u")
	controller.Header(ctx).Set("X", "y")
	if _, ok := controller.User[string](ctx); ok {
		t.Error("User outside a route")
	}
	if controller.Request(ctx) != nil || controller.LastEventID(ctx) != "" {
		t.Error("Request outside a route")
	}
	var he *httperr.Error = controller.NotFound("x")
	if he.Error() != "404 Not Found: x" {
		t.Errorf("Error() = %q", he.Error())
	}
}
