package controller

import (
	"context"
	"net/http"
	"sync"

	"github.com/rxsse/rxsse/sse"
)

// requestState is what a route keeps about one request: the response's
// status and headers, and the user a guard authenticated. It is also the
// context handed to guards, handlers and interceptors, which saves the
// allocation a context.WithValue would cost on every request.
type requestState struct {
	context.Context
	status int
	user   any

	// The response and the request, until an SSE route's stream has left
	// its handler (release): the stream's context outlives them, and must
	// not keep net/http's buffers alive.
	mu          sync.Mutex
	w           http.ResponseWriter
	req         *http.Request
	lastEventID string // kept by release
}

// release drops the response and the request once the route's handler has
// returned and its stream has started: what is subscribed with the
// request's context lives as long as the stream, and with it the state.
func (s *requestState) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.req != nil {
		s.lastEventID = sse.LastEventID(s.req)
	}
	s.w, s.req = nil, nil
}

// stateKey finds the requestState in a context.
type stateKey struct{}

// Value returns the state for stateKey and asks the parent for anything else.
func (s *requestState) Value(key any) any {
	if key == (stateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// begin attaches a fresh state for w to req.
func begin(w http.ResponseWriter, req *http.Request) *http.Request {
	s := &requestState{Context: req.Context(), w: w}
	s.req = req.WithContext(s)
	return s.req
}

func stateOf(ctx context.Context) *requestState {
	s, _ := ctx.Value(stateKey{}).(*requestState)
	return s
}

// SetStatus sets the status of the response to the request of ctx, replacing
// the route's default (200, or 201 for POST). Call it from the handler,
// before it returns: an SSE route's status is sent with the headers, which
// may leave as soon as the handler returns. Outside a route, or with a code
// outside 100–999, it does nothing.
func SetStatus(ctx context.Context, code int) {
	if s := stateOf(ctx); s != nil && code >= 100 && code <= 999 {
		s.status = code
	}
}

// Header returns the header map of the response to the request of ctx, to
// set headers from a guard or a handler before it returns (on SSE routes,
// the SSE headers win over same-named ones). Outside a route it returns an
// empty map whose changes go nowhere.
func Header(ctx context.Context) http.Header {
	if s := stateOf(ctx); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.w != nil {
			return s.w.Header()
		}
	}
	return http.Header{}
}

// SetUser records the user a guard authenticated, for User to return to
// later guards, the handler and interceptors. Outside a route it does
// nothing.
func SetUser(ctx context.Context, user any) {
	if s := stateOf(ctx); s != nil {
		s.user = user
	}
}

// User returns the user recorded by a guard (see BearerGuard and SetUser)
// when there is one of type T.
func User[T any](ctx context.Context) (T, bool) {
	if s := stateOf(ctx); s != nil {
		u, ok := s.user.(T)
		return u, ok
	}
	var zero T
	return zero, false
}

// Request returns the request a route is serving, for what no tag binds:
// Nest's @Req(). Outside a route it returns nil, and so it does once an SSE
// route's stream has started (read what you need from it in the handler).
func Request(ctx context.Context) *http.Request {
	if s := stateOf(ctx); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.req
	}
	return nil
}

// LastEventID returns the id of the last event a reconnecting client saw:
// its Last-Event-ID header, or its "lastEventId" query parameter (see
// sse.LastEventID). It is "" on a first connection, or outside a route.
func LastEventID(ctx context.Context) string {
	if s := stateOf(ctx); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.req == nil {
			return s.lastEventID
		}
		return sse.LastEventID(s.req)
	}
	return ""
}
