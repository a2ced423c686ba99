package rx

// TakeWhile emits the values of src while keep returns true; at the first
// value for which it returns false it completes (without emitting that
// value) and unsubscribes from src.
func TakeWhile[T any](src Observable[T], keep func(T) bool) Observable[T] {
	if keep == nil {
		panic("rx: TakeWhile: nil predicate")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&takeWhileObserver[T]{dst: s.dst, keep: keep})))
	})
}

// TakeWhileInclusive is TakeWhile that also emits the value for which keep
// returned false, before completing: RxJS's takeWhile(predicate, true).
func TakeWhileInclusive[T any](src Observable[T], keep func(T) bool) Observable[T] {
	if keep == nil {
		panic("rx: TakeWhileInclusive: nil predicate")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&takeWhileObserver[T]{dst: s.dst, keep: keep, inclusive: true})))
	})
}

type takeWhileObserver[T any] struct {
	dst       Observer[T]
	keep      func(T) bool
	inclusive bool
	done      bool
}

func (o *takeWhileObserver[T]) Next(v T) {
	if o.done {
		return
	}
	if !o.keep(v) {
		o.done = true
		if o.inclusive {
			o.dst.Next(v)
		}
		o.dst.Complete()
		return
	}
	o.dst.Next(v)
}
func (o *takeWhileObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *takeWhileObserver[T]) Complete()       { o.dst.Complete() }

// Skip ignores the first n values of src and emits the rest.
func Skip[T any](src Observable[T], n int) Observable[T] {
	if n < 0 {
		panic("rx: Skip: negative count")
	}
	if n == 0 {
		return src
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&skipObserver[T]{dst: s.dst, left: n})))
	})
}

type skipObserver[T any] struct {
	dst  Observer[T]
	left int
}

func (o *skipObserver[T]) Next(v T) {
	if o.left > 0 {
		o.left--
		return
	}
	o.dst.Next(v)
}
func (o *skipObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *skipObserver[T]) Complete()       { o.dst.Complete() }

// DistinctUntilChanged emits a value of src only when it differs (==) from
// the previous value emitted. The first value always passes.
func DistinctUntilChanged[T comparable](src Observable[T]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&distinctObserver[T]{dst: s.dst, equal: equalComparable[T]})))
	})
}

// DistinctUntilChangedFunc is DistinctUntilChanged for values that are not
// comparable with ==, or compared by part: equal reports whether two
// consecutive values count as the same.
func DistinctUntilChangedFunc[T any](src Observable[T], equal func(prev, cur T) bool) Observable[T] {
	if equal == nil {
		panic("rx: DistinctUntilChangedFunc: nil comparator")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&distinctObserver[T]{dst: s.dst, equal: equal})))
	})
}

func equalComparable[T comparable](a, b T) bool { return a == b }

type distinctObserver[T any] struct {
	dst   Observer[T]
	equal func(prev, cur T) bool
	prev  T
	seen  bool
}

func (o *distinctObserver[T]) Next(v T) {
	if o.seen && o.equal(o.prev, v) {
		return
	}
	o.prev, o.seen = v, true
	o.dst.Next(v)
}
func (o *distinctObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *distinctObserver[T]) Complete()       { o.dst.Complete() }
