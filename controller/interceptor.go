package controller

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/rxsse/rxsse/rx"
)

// Interceptor wraps what a route produces: Nest's NestInterceptor. next is
// the stream of the route's events on an SSE route, or the stream of its one
// result (or its error) on a JSON route; the interceptor returns the stream
// to use instead, usually next with rx operators applied: rx.Map on every
// event, rx.Tap to observe, rx.CatchError to replace an error, rx.Timeout.
// It is called once per request, after the handler returned, with the
// request's context (User works in it). Binding and validation happen once
// per request, never per event.
type Interceptor[T any] func(ctx context.Context, next rx.Observable[T]) rx.Observable[T]

// Intercept adds interceptors to a route whose values are of type T: the
// events of SSE[In, T], the result of Get[In, T] and the other JSON
// routes. The first interceptor is the outermost, as in Nest: it sees what
// the others made of the stream. A mismatched T panics at registration.
func Intercept[T any](ics ...Interceptor[T]) RouteOption {
	for _, ic := range ics {
		if ic == nil {
			panic("controller: Intercept: nil interceptor")
		}
	}
	return routeOptionFunc(func(c *routeConfig) {
		c.interceptors = append(c.interceptors, interceptorSet[T](ics))
	})
}

// interceptorSet is what Intercept records; the route checks its type.
type interceptorSet[T any] []Interceptor[T]

// MapEach returns an interceptor that replaces each value v with f(ctx, v):
// every event of an SSE route, the result of a JSON route. An error from f
// ends the stream with it: answered as a route error before the first
// event, an "event: error" after.
func MapEach[T any](f func(ctx context.Context, v T) (T, error)) Interceptor[T] {
	if f == nil {
		panic("controller: MapEach: nil function")
	}
	return func(ctx context.Context, next rx.Observable[T]) rx.Observable[T] {
		return rx.Create(func(s rx.Subscriber[T]) func() {
			sub := next.Subscribe(s.Context(), rx.ObserverFuncs[T]{
				OnNext: func(v T) {
					out, err := f(ctx, v)
					if err != nil {
						s.Error(err)
						return
					}
					s.Next(out)
				},
				OnError:    s.Error,
				OnComplete: s.Complete,
			})
			return sub.Unsubscribe
		})
	}
}

// interceptorsFor collects the interceptors recorded for a route of values
// of type T, outermost first, and panics on one made for another type.
func interceptorsFor[T any](pattern string, recorded []any) []Interceptor[T] {
	var ics []Interceptor[T]
	for _, set := range recorded {
		s, ok := set.(interceptorSet[T])
		if !ok {
			panic(fmt.Sprintf("controller: route %q: interceptor of %v on a route of %v",
				pattern, reflect.TypeOf(set).Elem().In(1), reflect.TypeFor[rx.Observable[T]]()))
		}
		ics = append(ics, s...)
	}
	return ics
}

// intercept applies ics to obs, the first outermost, turning a panic into a
// failing stream.
func intercept[T any](ctx context.Context, obs rx.Observable[T], ics []Interceptor[T]) (out rx.Observable[T]) {
	var err error
	defer func() {
		if err != nil {
			out = rx.Throw[T](err)
		}
	}()
	defer recoverTo(&err)
	for i := len(ics) - 1; i >= 0; i-- {
		obs = ics[i](ctx, obs)
	}
	return obs
}

// errNoResult is the failure of a JSON route whose interceptors left its
// stream empty (Nest fails the same way: lastValueFrom of an empty stream).
var errNoResult = errors.New("controller: the interceptors of a JSON route produced no result")

// interceptResult runs a JSON route's result through its interceptors and
// returns the last value they let through.
func interceptResult[T any](ctx context.Context, v T, err error, ics []Interceptor[T]) (T, error) {
	obs := rx.Of(v)
	if err != nil {
		obs = rx.Throw[T](err)
	}
	var (
		last T
		got  bool
	)
	err = rx.ForEach(ctx, intercept(ctx, obs, ics), func(v T) { last, got = v, true })
	if err == nil && !got {
		err = errNoResult
	}
	return last, err
}
