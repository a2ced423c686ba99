package controller_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/rx"
)

type account struct{ ID, Role string }

// tokens is the check a user supplies to BearerGuard.
func tokens(_ context.Context, token string) (any, error) {
	switch token {
	case "alice-token":
		return account{ID: "alice", Role: "admin"}, nil
	case "bob-token":
		return account{ID: "bob", Role: "user"}, nil
	case "banned-token":
		return nil, controller.Forbidden("account suspended")
	case "down-token":
		return nil, controller.ServiceUnavailable("")
	}
	return nil, errors.New("unknown token")
}

// admins is a guard that reads the user another guard recorded.
func admins(r *http.Request) error {
	if u, ok := controller.User[account](r.Context()); !ok || u.Role != "admin" {
		return controller.Forbidden("Forbidden resource")
	}
	return nil
}

func TestBearerGuard(t *testing.T) {
	t.Parallel()
	type in struct {
		N int `query:"n" validate:"min=1"`
	}
	whoami := func(ctx context.Context, in *in) (string, error) {
		u, ok := controller.User[account](ctx)
		if !ok {
			return "", errors.New("no user")
		}
		return u.ID, nil
	}
	r, _ := newRouter(nil)
	r.Mount("/default", controller.RoutesFunc(func(r *controller.Router) {
		r.UseGuards(controller.BearerGuard(tokens, nil))
		controller.Get(r, "/me", whoami)
		controller.Get(r, "/admin", whoami, controller.Guards(admins))
	}))
	r.Mount("/custom", controller.RoutesFunc(func(r *controller.Router) {
		r.UseGuards(controller.BearerGuard(tokens, &controller.BearerOptions{Query: "token", Cookie: "session"}))
		controller.Get(r, "/me", whoami)
	}))
	r.Mount("/headeronly", controller.RoutesFunc(func(r *controller.Router) {
		r.UseGuards(controller.BearerGuard(tokens, &controller.BearerOptions{Query: "-"}))
		controller.Get(r, "/me", whoami)
	}))
	srv := serve(t, r)

	const (
		unauthorized = `{"message":"Unauthorized","statusCode":401}`
		bearer       = "Bearer"
		invalid      = `Bearer error="invalid_token"`
	)
	cases := []struct {
		name, path string
		header     []string
		status     int
		body       string
		challenge  string
	}{
		{"header", "/default/me?n=1", []string{"Authorization", "Bearer alice-token"}, 200, "alice", ""},
		{"header scheme in any case", "/default/me?n=1", []string{"Authorization", "bearer bob-token"}, 200, "bob", ""},
		{"default query parameter", "/default/me?n=1&access_token=bob-token", nil, 200, "bob", ""},
		{"header wins over query", "/default/me?n=1&access_token=bob-token", []string{"Authorization", "Bearer alice-token"}, 200, "alice", ""},
		{"no token", "/default/me?n=1", nil, 401, unauthorized, bearer},
		{"other scheme", "/default/me?n=1", []string{"Authorization", "Basic YTpi"}, 401, unauthorized, bearer},
		{"empty bearer", "/default/me?n=1", []string{"Authorization", "Bearer "}, 401, unauthorized, bearer},
		{"unknown token", "/default/me?n=1", []string{"Authorization", "Bearer nope"}, 401, unauthorized, invalid},
		{"check answers 403", "/default/me?n=1", []string{"Authorization", "Bearer banned-token"}, 403,
			`{"message":"account suspended","error":"Forbidden","statusCode":403}`, ""},
		{"check answers 503", "/default/me?n=1", []string{"Authorization", "Bearer down-token"}, 503,
			`{"message":"Service Unavailable","statusCode":503}`, ""},
		{"guard before validation", "/default/me?n=0", nil, 401, unauthorized, bearer},
		{"validation after the guard", "/default/me?n=0", []string{"Authorization", "Bearer bob-token"}, 400,
			`{"message":["n must not be less than 1"],"error":"Bad Request","statusCode":400}`, ""},
		{"role guard reads the user", "/default/admin?n=1", []string{"Authorization", "Bearer alice-token"}, 200, "alice", ""},
		{"role guard rejects", "/default/admin?n=1", []string{"Authorization", "Bearer bob-token"}, 403,
			`{"message":"Forbidden resource","error":"Forbidden","statusCode":403}`, ""},
		{"custom query parameter", "/custom/me?n=1&token=bob-token", nil, 200, "bob", ""},
		{"default query name unused", "/custom/me?n=1&access_token=bob-token", nil, 401, unauthorized, bearer},
		{"cookie", "/custom/me?n=1", []string{"Cookie", "session=alice-token"}, 200, "alice", ""},
		{"query turned off", "/headeronly/me?n=1&access_token=bob-token", nil, 401, unauthorized, bearer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.do(t, "GET", tc.path, "", tc.header...)
			res.check(t, tc.status, tc.body)
			if got := res.header.Get("WWW-Authenticate"); got != tc.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tc.challenge)
			}
		})
	}
}

func TestGuards(t *testing.T) {
	t.Parallel()
	r, logs := newRouter(nil)
	var ran atomic.Bool
	handler := func(context.Context, *struct{}) (string, error) { ran.Store(true); return "ok", nil }
	controller.Get(r, "/plain-error", handler, controller.Guards(func(*http.Request) error { return errors.New("secret reason") }))
	controller.Get(r, "/header", handler, controller.Guards(func(r *http.Request) error {
		controller.Header(r.Context()).Set("X-Guard", "seen")
		return nil
	}))
	controller.Get(r, "/set-user", func(ctx context.Context, _ *struct{}) (string, error) {
		if _, ok := controller.User[account](ctx); ok {
			return "", errors.New("wrong type should not match")
		}
		u, _ := controller.User[string](ctx)
		return u, nil
	}, controller.Guards(func(r *http.Request) error { controller.SetUser(r.Context(), "carol"); return nil }))
	srv := serve(t, r)

	srv.do(t, "GET", "/plain-error", "").check(t, 500, `{"statusCode":500,"message":"Internal server error"}`)
	if ran.Load() {
		t.Error("the handler ran after its guard failed")
	}
	if l := logs.String(); !contains(l, "secret reason") {
		t.Errorf("log: %s", l)
	}
	res := srv.do(t, "GET", "/header", "")
	res.check(t, 200, "ok")
	if res.header.Get("X-Guard") != "seen" {
		t.Errorf("headers %v", res.header)
	}
	srv.do(t, "GET", "/set-user", "").check(t, 200, "carol")
}

// TestGuardOnSSERoute: a rejected EventSource gets a JSON 401, with no SSE
// header, and the stream is never subscribed.
func TestGuardOnSSERoute(t *testing.T) {
	t.Parallel()
	r, _ := newRouter(nil)
	var subscribed atomic.Bool
	controller.SSE(r, "/stream", func(context.Context, *struct{}) (rx.Observable[string], error) {
		return rx.Defer(func() rx.Observable[string] { subscribed.Store(true); return rx.Of("a") }), nil
	}, controller.Guards(controller.BearerGuard(tokens, nil)))
	srv := serve(t, r)

	res := srv.do(t, "GET", "/stream", "", "Accept", "text/event-stream")
	res.check(t, 401, `{"message":"Unauthorized","statusCode":401}`)
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, h := range []string{"Cache-Control", "Connection", "X-Accel-Buffering", "Pragma", "Expires"} {
		if v := res.header.Get(h); v != "" {
			t.Errorf("SSE header %s: %q on a rejected request", h, v)
		}
	}
	if subscribed.Load() {
		t.Error("the stream was subscribed")
	}
	res = srv.do(t, "GET", "/stream?access_token=alice-token", "")
	res.check(t, 200, "\nid: 1\ndata: a\n\n")
	if !subscribed.Load() {
		t.Error("the stream was not subscribed")
	}
	var _ *httperr.Error = controller.Unauthorized("")
}
