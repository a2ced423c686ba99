package rxgobridge

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/reactivex/rxgo/v2"

	"github.com/rxsse/rxsse/rx"
)

// From returns an Observable of the items of an rxgo Observable. Each
// subscription calls o.Observe with rxgo.WithContext(ctx), where ctx ends
// with the subscription, and reads the items in a goroutine: a value of
// type T is emitted (nil counts as the zero value when T is an interface,
// pointer, slice, map, channel or function type), an error item fails the
// stream, a value of another type fails it with an error, and the closing
// of rxgo's channel completes it.
//
// rxgo sources that start at construction (rxgo.Interval, rxgo.Create,
// rxgo.FromEventSource, rxgo.Merge) do not see that context: build them
// with rxgo.WithContext of a context that you cancel, or they run for ever.
func From[T any](o rxgo.Observable) rx.Observable[T] {
	if o == nil {
		panic("rxgobridge: From: nil rxgo Observable")
	}
	// One goroutine delivers every notification: no serialization needed.
	return rx.CreateSerialized(func(s rx.Subscriber[T]) func() {
		ctx := s.Context()
		items := o.Observe(rxgo.WithContext(ctx))
		go readRx(s, ctx, items)
		return nil
	})
}

// drainIdle is how long the bridge goes on draining an rxgo channel that
// neither closes nor sends after the subscription ended.
const drainIdle = 250 * time.Millisecond

// readRx delivers rxgo items to s until the stream ends.
func readRx[T any](s rx.Subscriber[T], ctx context.Context, items <-chan rxgo.Item) {
	defer drainRx(items)
	done := ctx.Done()
	for {
		select {
		case <-done:
			return
		case it, ok := <-items:
			if !ok {
				s.Complete()
				return
			}
			if it.E != nil {
				s.Error(it.E)
				return
			}
			v, ok := rxValue[T](it.V)
			if !ok {
				s.Error(fmt.Errorf("rxgobridge: From: item of type %T, want %v", it.V, reflect.TypeFor[T]()))
				return
			}
			s.Next(v)
		}
	}
}

// drainRx receives and drops items after the subscription ended. Stages
// that watch the cancelled context stop at once; a stage that took its
// context at construction (FlatMap, Debounce, … without rxgo.WithContext)
// may be blocked sending to the bridge, and is released by this. It stops
// when rxgo closes the channel, or when nothing came for drainIdle: some
// rxgo sources (Range, Just) return on cancellation without closing.
func drainRx(items <-chan rxgo.Item) {
	idle := time.NewTimer(drainIdle)
	defer idle.Stop()
	for {
		select {
		case _, ok := <-items:
			if !ok {
				return
			}
			idle.Reset(drainIdle)
		case <-idle.C:
			return
		}
	}
}

// rxValue converts an rxgo item value to T.
func rxValue[T any](x any) (T, bool) {
	if v, ok := x.(T); ok {
		return v, true
	}
	var zero T
	if x != nil {
		return zero, false
	}
	switch reflect.TypeFor[T]().Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func:
		return zero, true
	}
	return zero, false
}

// To returns src as an rxgo Observable. Each Observe subscribes to src
// with the context given by rxgo.WithContext (rxgo passes an operator's
// context to its source), and sends each value as an item, an error as an
// error item, then closes the channel. Observe with rxgo.WithContext and
// cancel that context when done reading: without it the subscription ends
// only with src, and a reader that stops reading leaves it blocked.
func To[T any](src rx.Observable[T]) rxgo.Observable {
	return rxgo.Defer([]rxgo.Producer{func(ctx context.Context, next chan<- rxgo.Item) {
		toRx(ctx, src, next)
	}})
}

// toRx sends src's notifications to next until src ends or ctx is
// cancelled. rxgo closes next when it returns, so it first waits for a send
// under way on another goroutine (a timer's, say) and stops later ones.
func toRx[T any](ctx context.Context, src rx.Observable[T], next chan<- rxgo.Item) {
	ctx, cancel := context.WithCancel(ctx)
	var (
		mu      sync.Mutex
		stopped bool
	)
	send := func(it rxgo.Item) {
		mu.Lock()
		defer mu.Unlock()
		if !stopped && !it.SendContext(ctx, next) {
			cancel()
		}
	}
	done := make(chan struct{})
	sub := src.Subscribe(ctx, rx.ObserverFuncs[T]{
		OnNext: func(v T) { send(rxgo.Of(v)) },
		OnError: func(err error) {
			send(rxgo.Error(err))
			close(done)
		},
		OnComplete: func() { close(done) },
	})
	select {
	case <-done:
	case <-ctx.Done():
	}
	cancel() // releases a send blocked on a reader that went away
	sub.Unsubscribe()
	mu.Lock()
	stopped = true
	mu.Unlock()
}

// Stage runs rxgo operators as one stage of an rx pipeline: for each
// subscription, stage receives src as an rxgo Observable and a context that
// ends with the subscription, and returns the rxgo Observable whose items
// (of type R) the stage emits. Pass rxgo.WithContext(ctx) to every rxgo
// operator in stage: operators that take their context at construction
// (Debounce, BufferWithTime, FlatMap, …) otherwise keep a goroutine until
// src ends.
//
//	evens := rxgobridge.Stage[int, int](src, func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
//		return in.Filter(isEven, rxgo.WithContext(ctx))
//	})
func Stage[T, R any](src rx.Observable[T], stage func(ctx context.Context, in rxgo.Observable) rxgo.Observable) rx.Observable[R] {
	if stage == nil {
		panic("rxgobridge: Stage: nil stage")
	}
	return rx.CreateSerialized(func(s rx.Subscriber[R]) func() {
		ctx := s.Context()
		out := stage(ctx, To(src))
		if out == nil {
			s.Error(errors.New("rxgobridge: Stage: stage returned a nil Observable"))
			return nil
		}
		// The inner subscription's calls come from one goroutine (From's
		// reader), so forwarding them keeps s's calls serialized.
		sub := From[R](out).Subscribe(ctx, rx.Observer[R](s))
		return sub.Unsubscribe
	})
}

// Operator is Stage in operator form, for rx.Pipe1…rx.Pipe8. A nil stage
// panics here, where the pipeline is written.
func Operator[T, R any](stage func(ctx context.Context, in rxgo.Observable) rxgo.Observable) rx.Operator[T, R] {
	if stage == nil {
		panic("rxgobridge: Operator: nil stage")
	}
	return func(src rx.Observable[T]) rx.Observable[R] { return Stage[T, R](src, stage) }
}
