package rx

import (
	"context"
	"iter"
)

// ForEach subscribes, calls fn with each value, and blocks until the stream
// ends. It returns the stream's error, or ctx.Err() when ctx ends first
// (which unsubscribes).
func ForEach[T any](ctx context.Context, o Observable[T], fn func(T)) error {
	if fn == nil {
		panic("rx: ForEach: nil function")
	}
	done := make(chan error, 1)
	sub := o.Subscribe(ctx, ObserverFuncs[T]{
		OnNext:     fn,
		OnError:    func(err error) { done <- err },
		OnComplete: func() { done <- nil },
	})
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sub.Unsubscribe()
		select {
		case err := <-done: // ended before the cancellation took effect
			return err
		default:
			return ctx.Err()
		}
	}
}

// Collect subscribes and gathers every value until the stream ends. On error
// it returns the values received so far with the error.
func Collect[T any](ctx context.Context, o Observable[T]) ([]T, error) {
	var out []T
	err := ForEach(ctx, o, func(v T) { out = append(out, v) })
	return out, err
}

// All turns the stream into an iterator for a range loop. Each value comes
// with a nil error; a failing stream yields one final zero value with its
// error. Breaking out of the loop unsubscribes. The producer waits for the
// loop to take each value, so nothing is buffered.
func All[T any](ctx context.Context, o Observable[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		type item struct {
			v    T
			err  error
			last bool
		}
		items := make(chan item)
		send := func(it item) {
			select {
			case items <- it:
			case <-ctx.Done():
			}
		}
		subscribed := make(chan Subscription, 1)
		go func() {
			subscribed <- o.Subscribe(ctx, ObserverFuncs[T]{
				OnNext:     func(v T) { send(item{v: v}) },
				OnError:    func(err error) { send(item{err: err, last: true}) },
				OnComplete: func() { send(item{last: true}) },
			})
		}()
		defer func() {
			cancel() // first: it releases a producer blocked in send
			(<-subscribed).Unsubscribe()
		}()
		for {
			select {
			case it := <-items:
				if it.last {
					if it.err != nil {
						yield(it.v, it.err)
					}
					return
				}
				if !yield(it.v, nil) {
					return
				}
			case <-ctx.Done():
				var zero T
				yield(zero, ctx.Err())
				return
			}
		}
	}
}

// FirstValueFrom subscribes, waits for the first value, unsubscribes and
// returns it, as RxJS's firstValueFrom. It returns ErrEmpty when the stream
// completes without a value, the stream's error when it fails, and
// ctx.Err() when ctx ends first.
func FirstValueFrom[T any](ctx context.Context, o Observable[T]) (T, error) {
	var v T
	err := ForEach(ctx, First(o), func(x T) { v = x })
	return v, err
}

// LastValueFrom subscribes, waits for the stream to complete and returns
// its last value, as RxJS's lastValueFrom. It returns ErrEmpty when the
// stream completes without a value, the stream's error when it fails, and
// ctx.Err() when ctx ends first.
func LastValueFrom[T any](ctx context.Context, o Observable[T]) (T, error) {
	var v T
	err := ForEach(ctx, Last(o), func(x T) { v = x })
	return v, err
}
