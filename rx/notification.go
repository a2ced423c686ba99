package rx

// Kind says which of the three notifications a Notification is.
type Kind uint8

// The kinds of Notification.
const (
	KindNext Kind = iota
	KindError
	KindComplete
)

// Notification is one notification of a stream as a value: a value
// (KindNext), an error (KindError) or completion (KindComplete), as RxJS's
// ObservableNotification.
type Notification[T any] struct {
	Kind  Kind
	Value T     // for KindNext
	Err   error // for KindError
}

// Materialize emits every notification of src as a Notification value: its
// values, then its error or completion, then completes, as RxJS's
// materialize. The stream itself never fails.
func Materialize[T any](src Observable[T]) Observable[Notification[T]] {
	return newObservable(func(s Subscriber[Notification[T]]) {
		src.run(upstream(s, Observer[T](materializeObserver[T]{s.dst})))
	})
}

type materializeObserver[T any] struct{ dst Observer[Notification[T]] }

func (o materializeObserver[T]) Next(v T) { o.dst.Next(Notification[T]{Kind: KindNext, Value: v}) }
func (o materializeObserver[T]) Error(err error) {
	o.dst.Next(Notification[T]{Kind: KindError, Err: err})
	o.dst.Complete()
}
func (o materializeObserver[T]) Complete() {
	o.dst.Next(Notification[T]{Kind: KindComplete})
	o.dst.Complete()
}

// Dematerialize turns Notification values back into the notifications they
// stand for, as RxJS's dematerialize: a KindError notification fails the
// stream, a KindComplete one completes it.
func Dematerialize[T any](src Observable[Notification[T]]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[Notification[T]](dematerializeObserver[T]{s.dst})))
	})
}

type dematerializeObserver[T any] struct{ dst Observer[T] }

func (o dematerializeObserver[T]) Next(n Notification[T]) {
	switch n.Kind {
	case KindNext:
		o.dst.Next(n.Value)
	case KindError:
		o.dst.Error(n.Err)
	default:
		o.dst.Complete()
	}
}
func (o dematerializeObserver[T]) Error(err error) { o.dst.Error(err) }
func (o dematerializeObserver[T]) Complete()       { o.dst.Complete() }
