package rx

// CatchError passes on the values of src; if src fails, it calls handler
// with the error and goes on with the Observable handler returns, as RxJS's
// catchError. To fail with another error, return Throw(err2); to end
// quietly, return Empty.
func CatchError[T any](src Observable[T], handler func(err error) Observable[T]) Observable[T] {
	if handler == nil {
		panic("rx: CatchError: nil handler")
	}
	return newObservable(func(s Subscriber[T]) {
		// src is a child: its error ends its own lifetime, not s's.
		src.subscribeChild(s.life, Observer[T](catchObserver[T]{s: s, handler: handler}))
	})
}

type catchObserver[T any] struct {
	s       Subscriber[T]
	handler func(error) Observable[T]
}

func (o catchObserver[T]) Next(v T)  { o.s.dst.Next(v) }
func (o catchObserver[T]) Complete() { o.s.dst.Complete() }
func (o catchObserver[T]) Error(err error) {
	next, perr := apply(o.handler, err)
	if perr != nil {
		o.s.dst.Error(perr)
		return
	}
	next.run(o.s)
}

// Retry subscribes to src again when it fails, at most count times; the
// values of every attempt are passed on. After the last attempt fails, the
// stream fails with its error. Retry(src, 0) is src. For a delay between
// attempts, unlimited attempts or a count that resets, use RetryWith.
func Retry[T any](src Observable[T], count int) Observable[T] {
	if count < 0 {
		panic("rx: Retry: negative count")
	}
	if count == 0 {
		return src
	}
	return RetryWith(src, RetryConfig{Count: count})
}
