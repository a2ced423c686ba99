package rx

import "sync/atomic"

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
// stream fails with its error. Retry(src, 0) is src.
func Retry[T any](src Observable[T], count int) Observable[T] {
	if count < 0 {
		panic("rx: Retry: negative count")
	}
	if count == 0 {
		return src
	}
	return newObservable(func(s Subscriber[T]) {
		(&retryRun[T]{s: s, src: src, left: count}).subscribe()
	})
}

type retryRun[T any] struct {
	s    Subscriber[T]
	src  Observable[T]
	left int
	// wip keeps a source that fails during Subscribe from growing the stack:
	// only the caller that raised it from zero loops.
	wip atomic.Int32
}

func (r *retryRun[T]) subscribe() {
	if r.wip.Add(1) != 1 {
		return
	}
	for {
		if r.s.Closed() {
			return
		}
		r.src.subscribeChild(r.s.life, Observer[T](retryObserver[T]{r}))
		if r.wip.Add(-1) == 0 {
			return
		}
	}
}

type retryObserver[T any] struct{ r *retryRun[T] }

func (o retryObserver[T]) Next(v T)  { o.r.s.dst.Next(v) }
func (o retryObserver[T]) Complete() { o.r.s.dst.Complete() }
func (o retryObserver[T]) Error(err error) {
	if o.r.left == 0 {
		o.r.s.dst.Error(err)
		return
	}
	o.r.left--
	o.r.subscribe()
}
