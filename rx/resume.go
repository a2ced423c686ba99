package rx

import "io"

// OnErrorResumeNext subscribes to each source in turn, going on to the
// next when one completes or fails (its error is dropped), and completes
// after the last, as RxJS's onErrorResumeNext.
func OnErrorResumeNext[T any](srcs ...Observable[T]) Observable[T] {
	resumed := make([]Observable[T], len(srcs))
	for i, src := range srcs {
		resumed[i] = CatchError(src, func(error) Observable[T] { return Empty[T]() })
	}
	return Concat(resumed...)
}

// OnErrorResumeNextWith is OnErrorResumeNext of src and others, as RxJS's
// onErrorResumeNextWith.
func OnErrorResumeNextWith[T any](src Observable[T], others ...Observable[T]) Observable[T] {
	return OnErrorResumeNext(append([]Observable[T]{src}, others...)...)
}

// Using makes a resource for each subscription, subscribes to the
// Observable factory makes with it, and closes the resource when the
// subscription ends, as RxJS's using. An error from create fails the
// stream; an error from Close is dropped, as the stream has ended.
func Using[R io.Closer, T any](create func() (R, error), factory func(R) Observable[T]) Observable[T] {
	if create == nil || factory == nil {
		panic("rx: Using: nil function")
	}
	return newObservable(func(s Subscriber[T]) {
		r, err := create()
		if err != nil {
			s.dst.Error(err)
			return
		}
		s.OnTeardown(func() { _ = r.Close() })
		factory(r).run(s)
	})
}
