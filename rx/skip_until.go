package rx

import "sync/atomic"

// SkipUntil ignores the values of src until notifier emits its first
// value, then emits the rest, as RxJS's skipUntil. notifier is subscribed
// first and unsubscribed at its first value; if it completes without
// emitting, every value is ignored. An error from either fails the stream.
func SkipUntil[T, N any](src Observable[T], notifier Observable[N]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		ser := &serializer[T]{dst: s.dst}
		o := &skipUntilObserver[T]{dst: ser}
		c := s.life.child()
		if c == nil {
			return
		}
		n := &skipUntilNotifier[T, N]{o: o, life: c}
		notifier.run(Subscriber[N]{life: c, dst: &gate[N]{life: c, obs: n}})
		if s.Closed() {
			return
		}
		src.run(upstream(s, Observer[T](o)))
	})
}

type skipUntilObserver[T any] struct {
	dst  *serializer[T]
	open atomic.Bool
}

func (o *skipUntilObserver[T]) Next(v T) {
	if o.open.Load() {
		o.dst.Next(v)
	}
}
func (o *skipUntilObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *skipUntilObserver[T]) Complete()       { o.dst.Complete() }

type skipUntilNotifier[T, N any] struct {
	o    *skipUntilObserver[T]
	life *lifetime // the notifier's subscription
}

func (n *skipUntilNotifier[T, N]) Next(N) {
	n.o.open.Store(true)
	n.life.unsubscribe()
}
func (n *skipUntilNotifier[T, N]) Error(err error) { n.o.dst.Error(err) }
func (n *skipUntilNotifier[T, N]) Complete()       {}
