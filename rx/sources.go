package rx

import (
	"iter"
)

// Of emits its arguments in order, then completes.
func Of[T any](values ...T) Observable[T] { return From(values) }

// From emits the elements of a slice in order, then completes. The slice is
// read at each subscription, not copied.
func From[T any](values []T) Observable[T] { return fromSlice(values) }

// FromSeq emits the values of an iterator, then completes. Unsubscribing
// stops the iteration.
func FromSeq[T any](seq iter.Seq[T]) Observable[T] {
	if seq == nil {
		panic("rx: FromSeq: nil sequence")
	}
	return newObservable(func(s Subscriber[T]) {
		for v := range seq {
			if s.Closed() {
				return
			}
			s.dst.Next(v)
		}
		s.dst.Complete()
	})
}

// FromChannel emits what is received from ch and completes when ch is
// closed. Each subscription starts a goroutine that receives until the
// channel closes or the subscription ends; several subscribers share the
// channel's values between them, as receivers of one channel do.
func FromChannel[T any](ch <-chan T) Observable[T] {
	if ch == nil {
		panic("rx: FromChannel: nil channel")
	}
	return newObservable(func(s Subscriber[T]) {
		done := s.Context().Done()
		go func() {
			defer s.catch()
			for {
				select {
				case v, ok := <-ch:
					if !ok {
						s.dst.Complete()
						return
					}
					s.dst.Next(v)
				case <-done:
					return
				}
			}
		}()
	})
}

// Empty completes at once.
func Empty[T any]() Observable[T] { return Observable[T]{} }

// Never emits nothing and never ends; only unsubscribing ends it.
func Never[T any]() Observable[T] {
	return newObservable(func(Subscriber[T]) {})
}

// Throw fails at once with err.
func Throw[T any](err error) Observable[T] {
	if err == nil {
		panic("rx: Throw: nil error")
	}
	return newObservable(func(s Subscriber[T]) { s.dst.Error(err) })
}

// Range emits count consecutive ints from start, then completes, as RxJS's
// range.
func Range(start, count int) Observable[int] {
	if count < 0 {
		panic("rx: Range: negative count")
	}
	return newObservable(func(s Subscriber[int]) {
		for i := range count {
			if s.Closed() {
				return
			}
			s.dst.Next(start + i)
		}
		s.dst.Complete()
	})
}

// Generate emits initial, then iterate of the previous value, while cond
// holds, then completes: the for loop of RxJS's generate.
func Generate[T any](initial T, cond func(T) bool, iterate func(T) T) Observable[T] {
	if cond == nil || iterate == nil {
		panic("rx: Generate: nil function")
	}
	return newObservable(func(s Subscriber[T]) {
		for v := initial; cond(v); v = iterate(v) {
			if s.Closed() {
				return
			}
			s.dst.Next(v)
		}
		s.dst.Complete()
	})
}

// Iif subscribes to whenTrue if cond() is true at subscription, else to
// whenFalse, as RxJS's iif.
func Iif[T any](cond func() bool, whenTrue, whenFalse Observable[T]) Observable[T] {
	if cond == nil {
		panic("rx: Iif: nil condition")
	}
	return Defer(func() Observable[T] {
		if cond() {
			return whenTrue
		}
		return whenFalse
	})
}

// Partition splits src in two, as RxJS's partition: the values that match
// pred, and those that do not. Each is a separate subscription to src.
func Partition[T any](src Observable[T], pred func(T) bool) (matching, rest Observable[T]) {
	if pred == nil {
		panic("rx: Partition: nil predicate")
	}
	return Filter(src, pred), Filter(src, func(v T) bool { return !pred(v) })
}
