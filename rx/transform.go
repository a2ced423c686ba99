package rx

// Map emits f(v) for each value v of src.
func Map[T, R any](src Observable[T], f func(T) R) Observable[R] {
	if f == nil {
		panic("rx: Map: nil function")
	}
	if g, ok := any(f).(func(T) T); ok { // R is T: the stage fuses
		return any(src.withStage(mapStage(g))).(Observable[R])
	}
	return newObservable(func(s Subscriber[R]) {
		src.run(upstream(s, Observer[T](&mapObserver[T, R]{dst: s.dst, f: f})))
	})
}

type mapObserver[T, R any] struct {
	dst Observer[R]
	f   func(T) R
}

func (m *mapObserver[T, R]) Next(v T)        { m.dst.Next(m.f(v)) }
func (m *mapObserver[T, R]) Error(err error) { m.dst.Error(err) }
func (m *mapObserver[T, R]) Complete()       { m.dst.Complete() }

// Filter emits the values of src for which keep returns true.
func Filter[T any](src Observable[T], keep func(T) bool) Observable[T] {
	if keep == nil {
		panic("rx: Filter: nil predicate")
	}
	return src.withStage(filterStage(keep))
}

// Take emits the first n values of src, then completes and unsubscribes from
// src. Take(src, 0) completes at once without subscribing.
func Take[T any](src Observable[T], n int) Observable[T] {
	if n < 0 {
		panic("rx: Take: negative count")
	}
	return newObservable(func(s Subscriber[T]) {
		if n == 0 {
			s.dst.Complete()
			return
		}
		src.run(upstream(s, Observer[T](&takeObserver[T]{dst: s.dst, left: n})))
	})
}

type takeObserver[T any] struct {
	dst  Observer[T]
	left int
}

func (t *takeObserver[T]) Next(v T) {
	if t.left <= 0 {
		return
	}
	t.left--
	t.dst.Next(v)
	if t.left == 0 {
		t.dst.Complete()
	}
}
func (t *takeObserver[T]) Error(err error) { t.dst.Error(err) }
func (t *takeObserver[T]) Complete()       { t.dst.Complete() }

// Scan emits, for each value v of src, acc applied to the previous result
// (seed for the first value) and v: a running reduction, as RxJS's scan.
// Each subscription starts again from seed.
func Scan[T, R any](src Observable[T], acc func(R, T) R, seed R) Observable[R] {
	if acc == nil {
		panic("rx: Scan: nil accumulator")
	}
	return newObservable(func(s Subscriber[R]) {
		src.run(upstream(s, Observer[T](&scanObserver[T, R]{dst: s.dst, acc: acc, state: seed})))
	})
}

type scanObserver[T, R any] struct {
	dst   Observer[R]
	acc   func(R, T) R
	state R
}

func (o *scanObserver[T, R]) Next(v T) {
	o.state = o.acc(o.state, v)
	o.dst.Next(o.state)
}
func (o *scanObserver[T, R]) Error(err error) { o.dst.Error(err) }
func (o *scanObserver[T, R]) Complete()       { o.dst.Complete() }
