package rx

// Tap calls f with each value of src before passing it on unchanged, for
// side effects such as logging. A panic in f fails the stream.
func Tap[T any](src Observable[T], f func(T)) Observable[T] {
	if f == nil {
		panic("rx: Tap: nil function")
	}
	return src.withStage(tapStage(f))
}

// TapObserver calls obs with every notification of src (value, error,
// completion) before passing it on unchanged.
func TapObserver[T any](src Observable[T], obs Observer[T]) Observable[T] {
	if obs == nil {
		panic("rx: TapObserver: nil observer")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&tapObserver[T]{dst: s.dst, tap: obs})))
	})
}

type tapObserver[T any] struct {
	dst Observer[T]
	tap Observer[T]
}

func (o *tapObserver[T]) Next(v T) {
	o.tap.Next(v)
	o.dst.Next(v)
}

func (o *tapObserver[T]) Error(err error) {
	// A panic in the tap must not swallow the error it was told about.
	defer o.dst.Error(err)
	o.tap.Error(err)
}

func (o *tapObserver[T]) Complete() {
	if err := callRecovered(o.tap.Complete); err != nil {
		o.dst.Error(err)
		return
	}
	o.dst.Complete()
}

// Finalize calls f once when a subscription to src ends for any reason:
// completion, error or unsubscribe, after src's own teardown. A panic in f
// is dropped, as the stream has ended.
func Finalize[T any](src Observable[T], f func()) Observable[T] {
	if f == nil {
		panic("rx: Finalize: nil function")
	}
	return newObservable(func(s Subscriber[T]) {
		// Teardowns run in reverse order of registration: registered first,
		// f runs after everything src registers.
		s.OnTeardown(f)
		src.run(s)
	})
}
