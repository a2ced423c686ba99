package rx

import (
	"cmp"
	"errors"
)

// ErrEmpty is the error First, Last, Single, ThrowIfEmpty and the value
// terminals fail with when the stream completes without a value (RxJS's
// EmptyError).
var ErrEmpty = errors.New("rx: no elements in sequence")

// ErrOutOfRange is the error ElementAt fails with when the stream completes
// before the index (RxJS's ArgumentOutOfRangeError).
var ErrOutOfRange = errors.New("rx: argument out of range")

// ErrNotFound is the error SingleWhere fails with when values came but none
// matched (RxJS's NotFoundError).
var ErrNotFound = errors.New("rx: no matching values")

// ErrNotSingle is the error Single fails with when more than one value
// matches (RxJS's SequenceError).
var ErrNotSingle = errors.New("rx: too many matching values")

// endObserver is the base of operators that hold state until src ends: it
// passes on errors and leaves Next and Complete to the operator.
type endObserver[R any] struct{ dst Observer[R] }

func (o *endObserver[R]) Error(err error) { o.dst.Error(err) }

// Reduce applies acc to each value of src, starting from seed, and emits
// the final result when src completes, as RxJS's reduce with a seed. An
// empty src emits seed.
func Reduce[T, R any](src Observable[T], acc func(R, T) R, seed R) Observable[R] {
	if acc == nil {
		panic("rx: Reduce: nil accumulator")
	}
	return newObservable(func(s Subscriber[R]) {
		src.run(upstream(s, Observer[T](&reduceObserver[T, R]{endObserver[R]{s.dst}, acc, seed})))
	})
}

type reduceObserver[T, R any] struct {
	endObserver[R]
	acc   func(R, T) R
	state R
}

func (o *reduceObserver[T, R]) Next(v T) { o.state = o.acc(o.state, v) }
func (o *reduceObserver[T, R]) Complete() {
	o.dst.Next(o.state)
	o.dst.Complete()
}

// ToArray emits every value of src as one slice when src completes, as
// RxJS's toArray; an empty src emits an empty, non-nil slice.
func ToArray[T any](src Observable[T]) Observable[[]T] {
	return newObservable(func(s Subscriber[[]T]) {
		src.run(upstream(s, Observer[T](&reduceObserver[T, []T]{endObserver[[]T]{s.dst}, appendValue[T], []T{}})))
	})
}

func appendValue[T any](vs []T, v T) []T { return append(vs, v) }

// Count emits the number of values of src when it completes, as RxJS's
// count. To count the values that match, Filter first.
func Count[T any](src Observable[T]) Observable[int] {
	return Reduce(src, func(n int, _ T) int { return n + 1 }, 0)
}

// Max emits the largest value of src when it completes, as RxJS's max; an
// empty src completes without a value.
func Max[T cmp.Ordered](src Observable[T]) Observable[T] { return MaxFunc(src, cmp.Compare[T]) }

// MaxFunc is Max with a comparison function (negative when a < b). Of equal
// values, the first is kept.
func MaxFunc[T any](src Observable[T], compare func(a, b T) int) Observable[T] {
	if compare == nil {
		panic("rx: MaxFunc: nil comparison")
	}
	return extreme(src, func(a, b T) bool { return compare(b, a) > 0 })
}

// Min emits the smallest value of src when it completes, as RxJS's min; an
// empty src completes without a value.
func Min[T cmp.Ordered](src Observable[T]) Observable[T] { return MinFunc(src, cmp.Compare[T]) }

// MinFunc is Min with a comparison function (negative when a < b). Of equal
// values, the first is kept.
func MinFunc[T any](src Observable[T], compare func(a, b T) int) Observable[T] {
	if compare == nil {
		panic("rx: MinFunc: nil comparison")
	}
	return extreme(src, func(a, b T) bool { return compare(b, a) < 0 })
}

// extreme emits the value that no later value replaced (better(cur, v)
// reports whether v replaces cur).
func extreme[T any](src Observable[T], better func(cur, v T) bool) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&lastObserver[T]{dst: s.dst, keep: func(cur, v T, has bool) bool { return !has || better(cur, v) }})))
	})
}

// Every emits true when src completes with every value matching pred, and
// false (then completes, unsubscribing from src) at the first value that
// does not, as RxJS's every.
func Every[T any](src Observable[T], pred func(T) bool) Observable[bool] {
	if pred == nil {
		panic("rx: Every: nil predicate")
	}
	return newObservable(func(s Subscriber[bool]) {
		src.run(upstream(s, Observer[T](&everyObserver[T]{endObserver[bool]{s.dst}, pred, false})))
	})
}

type everyObserver[T any] struct {
	endObserver[bool]
	pred func(T) bool
	done bool
}

func (o *everyObserver[T]) Next(v T) {
	if o.done || o.pred(v) {
		return
	}
	o.done = true
	o.dst.Next(false)
	o.dst.Complete()
}
func (o *everyObserver[T]) Complete() {
	if !o.done {
		o.dst.Next(true)
		o.dst.Complete()
	}
}

// IsEmpty emits true when src completes without a value, and false (then
// completes, unsubscribing from src) at its first value, as RxJS's isEmpty.
func IsEmpty[T any](src Observable[T]) Observable[bool] {
	return Every(src, func(T) bool { return false })
}

// Find emits the first value of src that matches pred, then completes and
// unsubscribes from src; if src completes first, it completes without a
// value. RxJS's find emits undefined in that case; Go has no undefined, so
// use DefaultIfEmpty for a fallback value.
func Find[T any](src Observable[T], pred func(T) bool) Observable[T] {
	if pred == nil {
		panic("rx: Find: nil predicate")
	}
	return Take(Filter(src, pred), 1)
}

// FindIndex emits the index of the first value of src that matches pred,
// or -1 when src completes without one, as RxJS's findIndex.
func FindIndex[T any](src Observable[T], pred func(T) bool) Observable[int] {
	if pred == nil {
		panic("rx: FindIndex: nil predicate")
	}
	return newObservable(func(s Subscriber[int]) {
		src.run(upstream(s, Observer[T](&findIndexObserver[T]{endObserver: endObserver[int]{s.dst}, pred: pred})))
	})
}

type findIndexObserver[T any] struct {
	endObserver[int]
	pred func(T) bool
	i    int
	done bool
}

func (o *findIndexObserver[T]) Next(v T) {
	if o.done {
		return
	}
	if o.pred(v) {
		o.done = true
		o.dst.Next(o.i)
		o.dst.Complete()
		return
	}
	o.i++
}
func (o *findIndexObserver[T]) Complete() {
	if !o.done {
		o.dst.Next(-1)
		o.dst.Complete()
	}
}

// SequenceEqual compares the values of src and other in order and emits
// true when both complete with equal sequences, or false as soon as they
// differ (then completes, unsubscribing from both), as RxJS's
// sequenceEqual. An error from either fails the stream.
func SequenceEqual[T comparable](src, other Observable[T]) Observable[bool] {
	pairs := Zip2(Materialize(src), Materialize(other), func(a, b Notification[T]) [2]Notification[T] {
		return [2]Notification[T]{a, b}
	})
	return newObservable(func(s Subscriber[bool]) {
		pairs.run(upstream(s, Observer[[2]Notification[T]](&sequenceEqualObserver[T]{endObserver[bool]{s.dst}, false})))
	})
}

type sequenceEqualObserver[T comparable] struct {
	endObserver[bool]
	done bool
}

func (o *sequenceEqualObserver[T]) Next(p [2]Notification[T]) {
	if o.done {
		return
	}
	a, b := p[0], p[1]
	switch {
	case a.Kind == KindError:
		o.done = true
		o.dst.Error(a.Err)
	case b.Kind == KindError:
		o.done = true
		o.dst.Error(b.Err)
	case a.Kind != b.Kind || a.Value != b.Value:
		o.done = true
		o.dst.Next(false)
		o.dst.Complete()
	case a.Kind == KindComplete:
		o.done = true
		o.dst.Next(true)
		o.dst.Complete()
	}
}
func (o *sequenceEqualObserver[T]) Complete() {
	if !o.done {
		o.dst.Complete()
	}
}
