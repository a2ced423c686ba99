package controller_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

func corsServer(t *testing.T, opts *controller.CORSOptions) *server {
	r, _ := newRouter(nil)
	r.Use(controller.CORS(opts))
	controller.Get(r, "/data", func(ctx context.Context, _ *struct{}) (string, error) {
		controller.Header(ctx).Set("X-Total", "3")
		return "ok", nil
	})
	controller.SSE(r, "/stream", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Of("a"), nil
	}, controller.Guards(controller.BearerGuard(tokens, &controller.BearerOptions{Cookie: "session"})))
	return serve(t, r)
}

func TestCORS(t *testing.T) {
	t.Parallel()
	type headers map[string]string
	cases := []struct {
		name         string
		opts         *controller.CORSOptions
		method, path string
		header       []string
		status       int
		body         string
		want         headers // "" means absent
	}{
		{"not a CORS request", nil, "GET", "/data", nil, 200, "ok",
			headers{"Access-Control-Allow-Origin": "", "Vary": ""}},
		{"default: any origin", nil, "GET", "/data", []string{"Origin", "https://a.example"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "", "Vary": ""}},
		{"default preflight", nil, "OPTIONS", "/data", []string{"Origin", "https://a.example", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-token,content-type"}, 204, "",
			headers{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
				"Access-Control-Allow-Headers": "x-token,content-type", "Access-Control-Max-Age": ""}},
		{"preflight of an unknown route", nil, "OPTIONS", "/nowhere", []string{"Origin", "https://a.example", "Access-Control-Request-Method", "GET"}, 204, "",
			headers{"Access-Control-Allow-Origin": "*"}},
		{"plain OPTIONS is routed", nil, "OPTIONS", "/data", []string{"Origin", "https://a.example"}, 404,
			`{"message":"Cannot OPTIONS /data","error":"Not Found","statusCode":404}`, headers{"Access-Control-Allow-Origin": "*"}},
		{"listed origin with credentials",
			&controller.CORSOptions{AllowedOrigins: []string{"https://app.example"}, AllowCredentials: true, ExposedHeaders: []string{"X-Total"}},
			"GET", "/data", []string{"Origin", "https://app.example"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Expose-Headers": "X-Total", "Vary": "Origin", "X-Total": "3"}},
		{"origin not listed",
			&controller.CORSOptions{AllowedOrigins: []string{"https://app.example"}, AllowCredentials: true},
			"GET", "/data", []string{"Origin", "https://evil.example"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Credentials": "", "Vary": "Origin"}},
		{"preflight of an origin not listed",
			&controller.CORSOptions{AllowedOrigins: []string{"https://app.example"}},
			"OPTIONS", "/data", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "GET"}, 204, "",
			headers{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Methods": ""}},
		{"wildcard subdomain",
			&controller.CORSOptions{AllowedOrigins: []string{"https://*.example.com"}},
			"GET", "/data", []string{"Origin", "https://eu.app.example.com"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "https://eu.app.example.com"}},
		{"wildcard does not match the bare domain",
			&controller.CORSOptions{AllowedOrigins: []string{"https://*.example.com"}},
			"GET", "/data", []string{"Origin", "https://example.com"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": ""}},
		{"any origin with credentials echoes it",
			&controller.CORSOptions{AllowCredentials: true},
			"GET", "/data", []string{"Origin", "https://b.example"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "https://b.example", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}},
		{"preflight with fixed lists",
			&controller.CORSOptions{AllowedMethods: []string{"get", "post"}, AllowedHeaders: []string{"Authorization"}, MaxAge: 10 * time.Minute},
			"OPTIONS", "/stream", []string{"Origin", "https://a.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-other"}, 204, "",
			headers{"Access-Control-Allow-Methods": "GET,POST", "Access-Control-Allow-Headers": "Authorization", "Access-Control-Max-Age": "600"}},
		{"origin func",
			&controller.CORSOptions{AllowOriginFunc: func(_ *http.Request, o string) bool { return o == "null" }},
			"GET", "/data", []string{"Origin", "null"}, 200, "ok",
			headers{"Access-Control-Allow-Origin": "null", "Vary": "Origin"}},
		{"EventSource with credentials",
			&controller.CORSOptions{AllowedOrigins: []string{"https://app.example"}, AllowCredentials: true},
			"GET", "/stream", []string{"Origin", "https://app.example", "Cookie", "session=alice-token"}, 200, "\nid: 1\ndata: a\n\n",
			headers{"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true",
				"Content-Type": "text/event-stream", "Vary": "Origin"}},
		{"EventSource rejected by its guard keeps CORS headers",
			&controller.CORSOptions{AllowedOrigins: []string{"https://app.example"}, AllowCredentials: true},
			"GET", "/stream", []string{"Origin", "https://app.example"}, 401, `{"message":"Unauthorized","statusCode":401}`,
			headers{"Access-Control-Allow-Origin": "https://app.example", "Content-Type": "application/json; charset=utf-8"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := corsServer(t, tc.opts).do(t, tc.method, tc.path, "", tc.header...)
			res.check(t, tc.status, tc.body)
			for k, v := range tc.want {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestCORSOnAMountedRouter(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	r.Mount("/api", controller.RoutesFunc(func(r *controller.Router) {
		r.Use(controller.CORS(nil))
		controller.Get(r, "/data", func(context.Context, *struct{}) (string, error) { return "ok", nil })
	}))
	controller.Get(r, "/other", func(context.Context, *struct{}) (string, error) { return "ok", nil })
	srv := serve(t, r)
	pre := []string{"Origin", "https://a.example", "Access-Control-Request-Method", "GET"}
	res := srv.do(t, "OPTIONS", "/api/data", "", pre...)
	if res.status != http.StatusNoContent || res.header.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("preflight under the mounted router: %d %v", res.status, res.header)
	}
	res = srv.do(t, "OPTIONS", "/other", "", pre...)
	if res.status != http.StatusNotFound || res.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight outside it: %d %v", res.status, res.header)
	}
}
