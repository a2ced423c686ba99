package controller

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/sse"
)

// Guard decides whether a request may reach its route: Nest's CanActivate.
// It runs before the input is bound. Returning nil lets the request through;
// CanActivate adapts a check that answers false with Nest's 403 "Forbidden
// resource" (ForbiddenResource); an error rejects it and is answered as any route error is (an
// *httperr.Error such as Unauthorized or Forbidden with its status, anything
// else 500). A guard may record the user with SetUser and set response
// headers with Header, both through r.Context(). On an SSE route a rejection
// is a plain JSON error: no SSE header is sent.
type Guard func(r *http.Request) error

// CanActivate adapts a yes-or-no check to a Guard, as Nest's canActivate
// returning a boolean: false answers Nest's 403
// {"message":"Forbidden resource","error":"Forbidden","statusCode":403}.
func CanActivate(can func(r *http.Request) bool) Guard {
	if can == nil {
		panic("controller: CanActivate: nil function")
	}
	return func(r *http.Request) error {
		if !can(r) {
			return ForbiddenResource()
		}
		return nil
	}
}

// ForbiddenResource is the error Nest answers when a guard says no:
// 403 {"message":"Forbidden resource","error":"Forbidden","statusCode":403}.
func ForbiddenResource() *httperr.Error { return Forbidden("Forbidden resource") }

// runGuards runs guards in order and stops at the first rejection.
func runGuards(guards []Guard, r *http.Request) (err error) {
	defer recoverTo(&err)
	for _, g := range guards {
		if err := g(r); err != nil {
			return err
		}
	}
	return nil
}

// BearerOptions says where BearerGuard looks for the token besides the
// Authorization header. A nil *BearerOptions means the defaults.
type BearerOptions struct {
	// Query is the query parameter holding the token, for clients that
	// cannot send headers, such as a browser's EventSource. "" means
	// "access_token" (RFC 6750); "-" turns the query parameter off.
	Query string
	// Cookie is the cookie holding the token. "" means no cookie.
	Cookie string
}

// BearerGuard returns a guard that authenticates requests with a bearer
// token, looked for in order in the "Authorization: Bearer <token>" header,
// the query parameter and the cookie named in opts. check verifies the token
// and returns the user, which the guard records for User. A request without
// a token is answered 401 {"message":"Unauthorized","statusCode":401} with
// "WWW-Authenticate: Bearer". An *httperr.Error from check is answered as
// it is (for instance Forbidden, or ServiceUnavailable when the token store
// is down); any other error from check means the token is not valid and is
// answered 401, the error kept as the cause for the logs.
func BearerGuard(check func(ctx context.Context, token string) (user any, err error), opts *BearerOptions) Guard {
	if check == nil {
		panic("controller: BearerGuard: nil check")
	}
	query, cookie := "access_token", ""
	if opts != nil {
		switch opts.Query {
		case "":
		case "-":
			query = ""
		default:
			query = opts.Query
		}
		cookie = opts.Cookie
	}
	return func(r *http.Request) error {
		token := bearerToken(r, query, cookie)
		if token == "" {
			return unauthorized(r, nil)
		}
		user, err := check(r.Context(), token)
		if err != nil {
			if he, ok := errors.AsType[sse.HTTPError](err); ok {
				if he.HTTPStatus() == http.StatusUnauthorized {
					Header(r.Context()).Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				}
				return err
			}
			return unauthorized(r, err)
		}
		SetUser(r.Context(), user)
		return nil
	}
}

func unauthorized(r *http.Request, cause error) error {
	h := Header(r.Context())
	if cause == nil {
		h.Set("WWW-Authenticate", "Bearer")
	} else {
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	e := Unauthorized("")
	e.Err = cause
	return e
}

// bearerToken finds the token: header, then query parameter, then cookie.
func bearerToken(r *http.Request, query, cookie string) string {
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		if token = strings.TrimSpace(token); token != "" {
			return token
		}
	}
	if query != "" {
		if t := r.URL.Query().Get(query); t != "" {
			return t
		}
	}
	if cookie != "" {
		if c, err := r.Cookie(cookie); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}
