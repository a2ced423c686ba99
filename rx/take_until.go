package rx

// TakeUntil emits the values of src until notifier emits its first value;
// then it completes and unsubscribes from both. notifier is subscribed
// first; if it completes without emitting, src goes on alone. An error from
// either fails the stream.
func TakeUntil[T, N any](src Observable[T], notifier Observable[N]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		dst := &serializer[T]{dst: s.dst}
		notifier.subscribeChild(s.life, Observer[N](takeUntilNotifier[T, N]{dst}))
		if s.Closed() {
			return
		}
		src.run(upstream(s, Observer[T](dst)))
	})
}

type takeUntilNotifier[T, N any] struct{ dst *serializer[T] }

func (o takeUntilNotifier[T, N]) Next(N)          { o.dst.Complete() }
func (o takeUntilNotifier[T, N]) Error(err error) { o.dst.Error(err) }
func (o takeUntilNotifier[T, N]) Complete()       {}
