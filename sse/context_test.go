package sse_test

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// ctxBound emits what subject emits and completes when ctx ends, as a bus
// subscription made with the handler's context does.
func ctxBound(ctx context.Context, subject *rx.Subject[string]) rx.Observable[string] {
	return rx.Create(func(s rx.Subscriber[string]) func() {
		sub := subject.Subscribe(s.Context(), rx.ObserverFuncs[string]{OnNext: s.Next})
		stop := context.AfterFunc(ctx, s.Complete)
		return func() {
			stop()
			sub.Unsubscribe()
		}
	})
}

// The handler's context outlives ServeHTTP when the stream detaches, and
// ends when the client leaves.
func TestHandlerContextOutlivesDetaching(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		subject := rx.NewSubject[string]()
		var handlerCtx context.Context
		h, returnedC := returned(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
			handlerCtx = r.Context()
			return ctxBound(r.Context(), subject), nil
		}, nil))
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", true)
		readUntil(t, c, "\n")
		if len(returnedC) != 1 {
			t.Fatal("the stream did not detach")
		}
		subject.Next("after detaching")
		readUntil(t, c, "\nid: 1\ndata: after detaching\n\n")
		if handlerCtx.Err() != nil {
			t.Fatal("the handler's context ended with ServeHTTP")
		}
		c.close()
		synctest.Wait()
		if handlerCtx.Err() == nil {
			t.Fatal("the handler's context did not end when the client left")
		}
	})
}

// Serve given a request whose context is the request's own keeps the stream
// attached (anything built on that context would stop at detaching); given
// one from WithStreamContext, it detaches.
func TestServeDetachesOnlyWithStreamContext(t *testing.T) {
	for _, tt := range []struct {
		name     string
		prepare  bool
		detached bool
	}{
		{"request context", false, false},
		{"stream context", true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				subject := rx.NewSubject[string]()
				h, returnedC := returned(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tt.prepare {
						r = sse.WithStreamContext(r)
					}
					// A value-only context on top keeps the stream detachable.
					r = r.WithContext(context.WithValue(r.Context(), struct{}{}, "v"))
					sse.Serve(w, r, ctxBound(r.Context(), subject), 0, nil)
				}))
				l, stop := pipeServer(h)
				defer stop()
				c := l.get(t, "/", true)
				readUntil(t, c, "\n")
				if got := len(returnedC) == 1; got != tt.detached {
					t.Fatalf("detached = %v, want %v", got, tt.detached)
				}
				subject.Next("x")
				readUntil(t, c, "\nid: 1\ndata: x\n\n")
				c.close()
				synctest.Wait()
				if len(returnedC) != 1 {
					t.Fatal("stream not over after the client left")
				}
			})
		})
	}
}

// A context with its own cancellation between WithStreamContext and Serve
// keeps the stream attached.
func TestDerivedCancellableContextStaysAttached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, returnedC := returned(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = sse.WithStreamContext(r)
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			sse.Serve(w, r.WithContext(ctx), rx.Never[string](), 0, nil)
		}))
		l, stop := pipeServer(h)
		defer stop()
		c := l.get(t, "/", true)
		readUntil(t, c, "\n")
		if len(returnedC) != 0 {
			t.Fatal("detached although a cancellable context was layered on the stream's")
		}
		c.close()
		synctest.Wait()
	})
}
