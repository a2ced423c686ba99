package sse

import (
	"context"
	"net/http"
	"sync/atomic"
)

// A stream's context carries the request's values but is ended by the
// stream: when the client leaves, or when the stream is over. It is not
// ended when ServeHTTP returns, which is what lets an HTTP/1.1 stream detach
// from net/http (see Options.Attached): net/http ends the request's own
// context then, and anything built on it would stop.

// WithStreamContext returns r with the context of the stream that Serve
// will run for it. Code that builds the stream (guards, the handler, the
// subscriptions it makes) must run with this request or its context (or a
// context that only adds values to it), and Serve must be given this
// request: Serve then knows that nothing depends on the request's own
// context, and the stream may detach. Handler does this itself.
//
// If Serve is not called, the context ends with the request's.
func WithStreamContext(r *http.Request) *http.Request {
	if sc, ok := r.Context().Value(streamCtxKey{}).(*streamCtx); ok && sc.Done() == r.Context().Done() {
		return r
	}
	return r.WithContext(newStreamCtx(r.Context()))
}

type streamCtxKey struct{}

// streamCtx is a stream's context.
type streamCtx struct {
	context.Context
	cancel  context.CancelFunc
	req     context.Context // the request's own context
	unwatch func() bool     // stops ending with req (see detach)
	// left, once set, is what ends the stream when the client leaves
	// (stream.unsubscribe); before, the context is just cancelled.
	left atomic.Pointer[func()]
}

func newStreamCtx(req context.Context) *streamCtx {
	c := &streamCtx{req: req}
	c.Context, c.cancel = context.WithCancel(context.WithoutCancel(req))
	// Until the stream detaches, it ends with the request: the client left.
	c.unwatch = context.AfterFunc(req, c.leave)
	return c
}

// leave ends the stream when the request's context ends (the client left).
func (c *streamCtx) leave() {
	if f := c.left.Load(); f != nil {
		(*f)()
		return
	}
	c.cancel()
}

// onLeave makes f what ends the stream when the client leaves, from now on.
func (c *streamCtx) onLeave(f func()) { c.left.Store(&f) }

func (c *streamCtx) Value(key any) any {
	if key == (streamCtxKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// streamContextOf returns r's stream context, and whether the stream may
// detach: r's context is the stream's, or only adds values to it. Without
// one, a new context is made, and the stream stays attached, since code
// built on r's own context would stop when ServeHTTP returns.
func streamContextOf(r *http.Request) (sc *streamCtx, detachable bool) {
	if sc, ok := r.Context().Value(streamCtxKey{}).(*streamCtx); ok {
		return sc, sc.Done() == r.Context().Done()
	}
	return newStreamCtx(r.Context()), false
}
