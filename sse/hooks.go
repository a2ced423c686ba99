package sse

import (
	"context"
	"net/http"
)

// Hooks observes streams, for metrics (package metrics implements it). It is
// attached to requests with WithHooks; the streams of a request without
// Hooks report nothing and pay nothing but a call to a no-op.
//
// The calls come from the goroutines that serve streams, producers
// included: an implementation must be safe for concurrent use and must not
// block. Counting with atomic adds is the intended cost.
type Hooks interface {
	// Open is called when a stream starts, before its headers are written;
	// the StreamHooks it returns (nil for none) receives that stream's
	// events. r.Pattern names the route.
	Open(r *http.Request) StreamHooks
	// Rejected is called when a request is answered 503 because too many
	// streams are open (Options.MaxStreams).
	Rejected(r *http.Request)
}

// StreamHooks observes one stream, from Open to Closed.
type StreamHooks interface {
	// Wrote is called after each successful write to the client: the
	// number of events it carried (heartbeats are not events) and its
	// bytes.
	Wrote(events, bytes int)
	// Dropped is called when the stream's queue was full: under DropOldest
	// and DropNewest with the events discarded to make room (or not let
	// in), under Disconnect once, with the events still queued, before the
	// stream ends.
	Dropped(policy SlowClientPolicy, events int)
	// Closed is called once, when the stream has ended, with why.
	Closed(reason CloseReason)
}

// CloseReason says why a stream ended.
type CloseReason int

const (
	// Completed: the handler's stream completed.
	Completed CloseReason = iota
	// Failed: the handler's stream failed ("event: error" was sent).
	Failed
	// ClientGone: the client went away, or a write to it failed.
	ClientGone
	// SlowClientDropped: the Disconnect policy ended a stream whose client
	// read too slowly.
	SlowClientDropped
	// ServerShutdown: the server shut down.
	ServerShutdown
)

// String returns the reason as a metric label: "completed", "failed",
// "client_gone", "slow_client", "shutdown".
func (r CloseReason) String() string {
	switch r {
	case Completed:
		return "completed"
	case Failed:
		return "failed"
	case ClientGone:
		return "client_gone"
	case SlowClientDropped:
		return "slow_client"
	case ServerShutdown:
		return "shutdown"
	}
	return "CloseReason(" + itoa(int64(r)) + ")"
}

// WithHooks returns a context whose requests' streams report to h: the
// http.Server's BaseContext for a whole server, or a middleware's
// r.WithContext for some routes.
func WithHooks(ctx context.Context, h Hooks) context.Context {
	return context.WithValue(ctx, hooksKey{}, h)
}

// HooksFrom returns the Hooks WithHooks attached to ctx, or nil.
func HooksFrom(ctx context.Context) Hooks {
	h, _ := ctx.Value(hooksKey{}).(Hooks)
	return h
}

type hooksKey struct{}

// openHooks is what a stream calls when it starts: the StreamHooks of its
// request, or one that does nothing, so that the stream's calls need no
// test.
func openHooks(r *http.Request) StreamHooks {
	if h := HooksFrom(r.Context()); h != nil {
		if sh := h.Open(r); sh != nil {
			return sh
		}
	}
	return noHooks{}
}

// rejectedHooks is what a request over MaxStreams calls.
func rejectedHooks(r *http.Request) {
	if h := HooksFrom(r.Context()); h != nil {
		h.Rejected(r)
	}
}

type noHooks struct{}

func (noHooks) Wrote(events, bytes int)                     {}
func (noHooks) Dropped(policy SlowClientPolicy, events int) {}
func (noHooks) Closed(reason CloseReason)                   {}
