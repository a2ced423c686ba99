package rx

// Observer receives the notifications of one subscription: any number of
// Next calls, then at most one of Error or Complete. Calls to one Observer are
// never concurrent.
type Observer[T any] interface {
	Next(value T)
	Error(err error)
	Complete()
}

// ObserverFuncs adapts plain functions to an Observer. Nil fields ignore their
// notification.
type ObserverFuncs[T any] struct {
	OnNext     func(T)
	OnError    func(error)
	OnComplete func()
}

// Next calls OnNext when it is set.
func (f ObserverFuncs[T]) Next(v T) {
	if f.OnNext != nil {
		f.OnNext(v)
	}
}

// Error calls OnError when it is set.
func (f ObserverFuncs[T]) Error(err error) {
	if f.OnError != nil {
		f.OnError(err)
	}
}

// Complete calls OnComplete when it is set.
func (f ObserverFuncs[T]) Complete() {
	if f.OnComplete != nil {
		f.OnComplete()
	}
}
