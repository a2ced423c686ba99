package rx

// First emits the first value of src, then completes and unsubscribes from
// src; it fails with ErrEmpty when src completes without a value, as
// RxJS's first(). For a fallback value instead, use
// DefaultIfEmpty(Take(src, 1), v).
func First[T any](src Observable[T]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&firstObserver[T]{dst: s.dst})))
	})
}

// FirstWhere emits the first value of src that matches pred, then
// completes; it fails with ErrEmpty when src completes without one, as
// RxJS's first(predicate).
func FirstWhere[T any](src Observable[T], pred func(T) bool) Observable[T] {
	if pred == nil {
		panic("rx: FirstWhere: nil predicate")
	}
	return First(Filter(src, pred))
}

type firstObserver[T any] struct {
	dst  Observer[T]
	done bool
}

func (o *firstObserver[T]) Next(v T) {
	if o.done {
		return
	}
	o.done = true
	o.dst.Next(v)
	o.dst.Complete()
}
func (o *firstObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *firstObserver[T]) Complete() {
	if !o.done {
		o.dst.Error(ErrEmpty)
	}
}

// Last emits the last value of src when it completes; it fails with
// ErrEmpty when src completes without a value, as RxJS's last().
func Last[T any](src Observable[T]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&lastObserver[T]{dst: s.dst, keep: keepLatest[T], emptyErr: ErrEmpty})))
	})
}

// LastWhere emits the last value of src that matches pred when src
// completes; it fails with ErrEmpty when none did, as RxJS's
// last(predicate).
func LastWhere[T any](src Observable[T], pred func(T) bool) Observable[T] {
	if pred == nil {
		panic("rx: LastWhere: nil predicate")
	}
	return Last(Filter(src, pred))
}

func keepLatest[T any](_, _ T, _ bool) bool { return true }

// lastObserver holds one value until src completes: keep reports whether v
// replaces the held value.
type lastObserver[T any] struct {
	dst      Observer[T]
	keep     func(cur, v T, has bool) bool
	emptyErr error // when set, an empty src fails with it
	cur      T
	has      bool
}

func (o *lastObserver[T]) Next(v T) {
	if o.keep(o.cur, v, o.has) {
		o.cur, o.has = v, true
	}
}
func (o *lastObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *lastObserver[T]) Complete() {
	switch {
	case o.has:
		o.dst.Next(o.cur)
	case o.emptyErr != nil:
		o.dst.Error(o.emptyErr)
		return
	}
	o.dst.Complete()
}

// Single emits the one value of src when it completes; it fails with
// ErrEmpty when there is none and with ErrNotSingle (at once, unsubscribing)
// at a second one, as RxJS's single().
func Single[T any](src Observable[T]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&singleObserver[T]{dst: s.dst})))
	})
}

// SingleWhere is Single of the values of src that match pred, as RxJS's
// single(predicate): it fails with ErrNotFound when src had values but none
// matched, and with ErrEmpty when it had none.
func SingleWhere[T any](src Observable[T], pred func(T) bool) Observable[T] {
	if pred == nil {
		panic("rx: SingleWhere: nil predicate")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&singleObserver[T]{dst: s.dst, pred: pred})))
	})
}

type singleObserver[T any] struct {
	dst  Observer[T]
	pred func(T) bool // nil: every value matches
	v    T
	has  bool
	seen bool // a value came, matching or not
	done bool
}

func (o *singleObserver[T]) Next(v T) {
	if o.done {
		return
	}
	o.seen = true
	if o.pred != nil && !o.pred(v) {
		return
	}
	if o.has {
		o.done = true
		o.dst.Error(ErrNotSingle)
		return
	}
	o.v, o.has = v, true
}
func (o *singleObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *singleObserver[T]) Complete() {
	if o.done {
		return
	}
	switch {
	case !o.seen:
		o.dst.Error(ErrEmpty)
		return
	case !o.has:
		o.dst.Error(ErrNotFound)
		return
	}
	o.dst.Next(o.v)
	o.dst.Complete()
}

// ElementAt emits the value of src at index (from 0), then completes and
// unsubscribes; it fails with ErrOutOfRange when src completes before, as
// RxJS's elementAt. For a fallback value instead, use
// DefaultIfEmpty(Take(Skip(src, index), 1), v).
func ElementAt[T any](src Observable[T], index int) Observable[T] {
	if index < 0 {
		panic("rx: ElementAt: negative index")
	}
	return newObservable(func(s Subscriber[T]) {
		o := &firstObserver[T]{dst: s.dst}
		Skip(src, index).run(upstream(s, Observer[T](&outOfRange[T]{o})))
	})
}

// outOfRange turns firstObserver's ErrEmpty into ErrOutOfRange.
type outOfRange[T any] struct{ *firstObserver[T] }

func (o *outOfRange[T]) Complete() {
	if !o.done {
		o.dst.Error(ErrOutOfRange)
	}
}

// TakeLast emits the last n values of src when it completes, as RxJS's
// takeLast.
func TakeLast[T any](src Observable[T], n int) Observable[T] {
	if n < 0 {
		panic("rx: TakeLast: negative count")
	}
	if n == 0 {
		return Empty[T]() // as RxJS: src is not even subscribed
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&takeLastObserver[T]{dst: s.dst, ring: make([]T, 0, min(n, 64)), n: n})))
	})
}

type takeLastObserver[T any] struct {
	dst  Observer[T]
	ring []T
	n    int
	at   int // the oldest value, once the ring is full
}

func (o *takeLastObserver[T]) Next(v T) {
	if len(o.ring) < o.n {
		o.ring = append(o.ring, v)
		return
	}
	o.ring[o.at] = v
	o.at = (o.at + 1) % o.n
}
func (o *takeLastObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *takeLastObserver[T]) Complete() {
	for i := range o.ring {
		o.dst.Next(o.ring[(o.at+i)%len(o.ring)])
	}
	o.dst.Complete()
}

// SkipLast emits the values of src except the last n: each value is
// emitted once n more have come, as RxJS's skipLast.
func SkipLast[T any](src Observable[T], n int) Observable[T] {
	if n < 0 {
		panic("rx: SkipLast: negative count")
	}
	if n == 0 {
		return src
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&skipLastObserver[T]{dst: s.dst, n: n})))
	})
}

type skipLastObserver[T any] struct {
	dst  Observer[T]
	ring []T
	n    int
	at   int
}

func (o *skipLastObserver[T]) Next(v T) {
	if len(o.ring) < o.n {
		o.ring = append(o.ring, v)
		return
	}
	old := o.ring[o.at]
	o.ring[o.at] = v
	o.at = (o.at + 1) % o.n
	o.dst.Next(old)
}
func (o *skipLastObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *skipLastObserver[T]) Complete()       { o.dst.Complete() }

// SkipWhile ignores the values of src while pred returns true, then emits
// every value from the first for which it returns false, as RxJS's
// skipWhile.
func SkipWhile[T any](src Observable[T], pred func(T) bool) Observable[T] {
	if pred == nil {
		panic("rx: SkipWhile: nil predicate")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&skipWhileObserver[T]{dst: s.dst, pred: pred})))
	})
}

type skipWhileObserver[T any] struct {
	dst     Observer[T]
	pred    func(T) bool
	passing bool
}

func (o *skipWhileObserver[T]) Next(v T) {
	if !o.passing && o.pred(v) {
		return
	}
	o.passing = true
	o.dst.Next(v)
}
func (o *skipWhileObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *skipWhileObserver[T]) Complete()       { o.dst.Complete() }

// IgnoreElements passes on only the completion or error of src, as RxJS's
// ignoreElements.
func IgnoreElements[T any](src Observable[T]) Observable[T] {
	return Filter(src, func(T) bool { return false })
}

// DefaultIfEmpty emits v when src completes without a value, as RxJS's
// defaultIfEmpty.
func DefaultIfEmpty[T any](src Observable[T], v T) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&ifEmptyObserver[T]{dst: s.dst, onEmpty: func() { s.dst.Next(v) }})))
	})
}

// ThrowIfEmpty fails with errorFactory() (ErrEmpty when errorFactory is
// nil) when src completes without a value, as RxJS's throwIfEmpty.
func ThrowIfEmpty[T any](src Observable[T], errorFactory func() error) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		o := &ifEmptyObserver[T]{dst: s.dst}
		o.fail = func() error {
			if errorFactory == nil {
				return ErrEmpty
			}
			return errorFactory()
		}
		src.run(upstream(s, Observer[T](o)))
	})
}

type ifEmptyObserver[T any] struct {
	dst     Observer[T]
	onEmpty func()
	fail    func() error
	seen    bool
}

func (o *ifEmptyObserver[T]) Next(v T) {
	o.seen = true
	o.dst.Next(v)
}
func (o *ifEmptyObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *ifEmptyObserver[T]) Complete() {
	if !o.seen {
		if o.fail != nil {
			o.dst.Error(o.fail())
			return
		}
		o.onEmpty()
	}
	o.dst.Complete()
}

// EndWith emits values after src completes, as RxJS's endWith.
func EndWith[T any](src Observable[T], values ...T) Observable[T] {
	if len(values) == 0 {
		return src
	}
	return Concat(src, From(append([]T(nil), values...)))
}

// Distinct emits the values of src that it has not emitted before, as
// RxJS's distinct. It remembers every value it has emitted, for the whole
// subscription.
func Distinct[T comparable](src Observable[T]) Observable[T] {
	return DistinctBy(src, func(v T) T { return v })
}

// DistinctBy is Distinct by key: a value is emitted when no earlier value
// had its key, as RxJS's distinct(keySelector).
func DistinctBy[T any, K comparable](src Observable[T], key func(T) K) Observable[T] {
	if key == nil {
		panic("rx: DistinctBy: nil key function")
	}
	return newObservable(func(s Subscriber[T]) {
		seen := make(map[K]struct{})
		Filter(src, func(v T) bool {
			k := key(v)
			if _, ok := seen[k]; ok {
				return false
			}
			seen[k] = struct{}{}
			return true
		}).run(s)
	})
}

// DistinctUntilKeyChanged emits a value of src when its key differs from
// the previous value's, as RxJS's distinctUntilKeyChanged (with a key
// function for the property name).
func DistinctUntilKeyChanged[T any, K comparable](src Observable[T], key func(T) K) Observable[T] {
	if key == nil {
		panic("rx: DistinctUntilKeyChanged: nil key function")
	}
	return DistinctUntilChangedFunc(src, func(a, b T) bool { return key(a) == key(b) })
}
