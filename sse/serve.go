package sse

import (
	"context"
	"net"
	"net/http"

	"github.com/rxsse/rxsse/rx"
)

// Serve runs the stream obs as the response to r: it subscribes once, with
// the stream's context (see WithStreamContext), writes each value as an
// event, and ends the stream when obs ends, the client goes away, the server
// shuts down (see Streams), or the client is too slow (see
// Options.SlowClient). It is what Handler does after calling its
// HandlerFunc; controllers call it after their own binding and guards.
//
// status 0 means the default: 200, or 201 for POST. Headers already set on
// w are kept, except those the stream sets itself. Nothing is sent until
// obs.Subscribe has returned (the "scheduler tick" of Nest); an error before
// that, with no event emitted, is answered with WriteError, an error after
// it becomes an "error" event. A HEAD request gets the headers only: obs is
// not subscribed. Neither is it when the client has already gone.
//
// Values of type MessageEvent and *MessageEvent, and of any type that
// implements Eventer (*Encoded, *bus.Message), are written as events; any
// other value becomes the data of an event (a string as is, anything else as
// JSON). A value must not be modified after it is emitted.
//
// An attached stream's Serve returns once the stream is over and its
// subscription torn down. A stream that detaches (r from WithStreamContext,
// HTTP/1.1; see Options.Attached) goes on after Serve returns, which it does
// once the headers are out.
func Serve[T any](w http.ResponseWriter, r *http.Request, obs rx.Observable[T], status int, opts *Options) {
	cfg := opts.config()
	serve(w, r, obs, status, cfg, cfg.streams)
}

// serve is Serve with the options resolved (Handler resolves them once).
func serve[T any](w http.ResponseWriter, r *http.Request, obs rx.Observable[T], status int, cfg *config, acct *Streams) {
	if status == 0 {
		status = http.StatusOK
		if r.Method == http.MethodPost {
			status = http.StatusCreated
		}
	}
	sc, detachable := streamContextOf(r)
	if r.Method == http.MethodHead {
		sc.cancel()
		setStreamHeaders(w.Header(), r.ProtoMajor)
		w.WriteHeader(status)
		return
	}
	if sc.req.Err() != nil || sc.Err() != nil {
		sc.cancel()
		return // the client left before the stream started
	}
	client := ""
	if cfg.perClient > 0 {
		client = clientAddr(r)
	}
	if acct != nil && !acct.tryOpen(cfg, client) {
		rejectedHooks(r)
		sc.cancel()
		WriteError(w, r, newStatusError(http.StatusServiceUnavailable, "too many open streams", cfg.retryAfter), cfg.logger)
		return
	}
	s := newStream(w, r, status, cfg, sc)
	s.acct, s.client, s.detachable = acct, client, detachable
	s.hooks = openHooks(r)
	o := newObserver[T](s)
	s.serve(func(ctx context.Context) rx.Subscription { return obs.Subscribe(ctx, o) })
}

// clientAddr is the host of r's RemoteAddr.
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
