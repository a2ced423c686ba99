package rx

import "sync"

// CombineLatest subscribes to every source in order and, once each has
// emitted, emits a new slice of the latest value of each (in the order of
// the sources) whenever any of them emits, as RxJS's combineLatest. It
// completes when every source has completed (a source that completes
// without emitting means nothing is ever emitted, but the stream still
// waits for the others), and fails with the first error. With no sources it
// completes at once.
func CombineLatest[T any](srcs ...Observable[T]) Observable[[]T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[[]T]) {
		latest := make([]T, len(srcs))
		c := newCombineRun(s, len(srcs), func() []T { return append([]T(nil), latest...) })
		for i, src := range srcs {
			if s.Closed() {
				return
			}
			src.subscribeChild(s.life, Observer[T](&combineInput[T, []T]{c: c, i: i, slot: &latest[i]}))
		}
		c.subscribed()
	})
}

// CombineLatestWith is CombineLatest of src and others, as RxJS's
// combineLatestWith.
func CombineLatestWith[T any](src Observable[T], others ...Observable[T]) Observable[[]T] {
	return CombineLatest(append([]Observable[T]{src}, others...)...)
}

// CombineLatest2 is CombineLatest of two sources of different types: once
// both have emitted, it emits project(latest a, latest b) whenever either
// emits.
func CombineLatest2[A, B, R any](a Observable[A], b Observable[B], project func(A, B) R) Observable[R] {
	if project == nil {
		panic("rx: CombineLatest2: nil project function")
	}
	return newObservable(func(s Subscriber[R]) {
		var va A
		var vb B
		c := newCombineRun(s, 2, func() R { return project(va, vb) })
		a.subscribeChild(s.life, Observer[A](&combineInput[A, R]{c: c, i: 0, slot: &va}))
		if !s.Closed() {
			b.subscribeChild(s.life, Observer[B](&combineInput[B, R]{c: c, i: 1, slot: &vb}))
		}
		c.subscribed()
	})
}

// CombineLatest3 is CombineLatest2 for three sources.
func CombineLatest3[A, B, C, R any](a Observable[A], b Observable[B], c Observable[C], project func(A, B, C) R) Observable[R] {
	if project == nil {
		panic("rx: CombineLatest3: nil project function")
	}
	return newObservable(func(s Subscriber[R]) {
		var va A
		var vb B
		var vc C
		run := newCombineRun(s, 3, func() R { return project(va, vb, vc) })
		a.subscribeChild(s.life, Observer[A](&combineInput[A, R]{c: run, i: 0, slot: &va}))
		if !s.Closed() {
			b.subscribeChild(s.life, Observer[B](&combineInput[B, R]{c: run, i: 1, slot: &vb}))
		}
		if !s.Closed() {
			c.subscribeChild(s.life, Observer[C](&combineInput[C, R]{c: run, i: 2, slot: &vc}))
		}
		run.subscribed()
	})
}

// CombineLatestAll waits for src to complete, then combines the latest
// values of every Observable it emitted, as RxJS's combineLatestAll.
func CombineLatestAll[T any](src Observable[Observable[T]]) Observable[[]T] {
	return ConcatMap(ToArray(src), func(srcs []Observable[T]) Observable[[]T] { return CombineLatest(srcs...) })
}

// combineRun is the state CombineLatest's inputs share. Inputs may emit
// from several goroutines: mu orders them, and each output is claimed on
// the serializer under mu, so outputs reach the observer in that order.
type combineRun[R any] struct {
	ser   *serializer[R]
	build func() R // reads the slots; called under mu

	mu      sync.Mutex
	has     []bool
	waiting int // inputs that have not emitted yet
	active  int // inputs that have not completed
	ended   bool
}

func newCombineRun[R any](s Subscriber[R], n int, build func() R) *combineRun[R] {
	return &combineRun[R]{
		ser:     &serializer[R]{dst: s.dst},
		build:   build,
		has:     make([]bool, n),
		waiting: n,
		active:  n + 1, // + the subscribing loop, so that no input completes the stream before all are subscribed
	}
}

// subscribed marks the end of the subscribing loop.
func (c *combineRun[R]) subscribed() { c.complete() }

func (c *combineRun[R]) complete() {
	c.mu.Lock()
	c.active--
	var cl claimed[R]
	if c.active == 0 && !c.ended {
		c.ended = true
		cl = c.ser.claimAll(notification[R]{kind: kindComplete})
	}
	c.mu.Unlock()
	cl.deliver()
}

func (c *combineRun[R]) fail(err error) {
	c.mu.Lock()
	var cl claimed[R]
	if !c.ended {
		c.ended = true
		cl = c.ser.claimAll(notification[R]{kind: kindError, err: err})
	}
	c.mu.Unlock()
	cl.deliver()
}

type combineInput[T, R any] struct {
	c    *combineRun[R]
	i    int
	slot *T
}

func (o *combineInput[T, R]) Next(v T) {
	c := o.c
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	*o.slot = v
	if !c.has[o.i] {
		c.has[o.i] = true
		c.waiting--
	}
	var cl claimed[R]
	if c.waiting == 0 {
		var r R
		if err := callRecovered(func() { r = c.build() }); err != nil {
			c.ended = true
			cl = c.ser.claimAll(notification[R]{kind: kindError, err: err})
		} else {
			cl = c.ser.claimAll(notification[R]{kind: kindNext, value: r})
		}
	}
	c.mu.Unlock()
	cl.deliver()
}

func (o *combineInput[T, R]) Error(err error) { o.c.fail(err) }
func (o *combineInput[T, R]) Complete()       { o.c.complete() }

// WithLatestFrom emits project(v, latest) for each value v of src, where
// latest is the latest value of other, as RxJS's withLatestFrom. other is
// subscribed first; values of src that come before other has emitted are
// dropped. It completes with src (other's completion changes nothing) and
// fails with the first error of either.
func WithLatestFrom[T, O, R any](src Observable[T], other Observable[O], project func(T, O) R) Observable[R] {
	if project == nil {
		panic("rx: WithLatestFrom: nil project function")
	}
	return newObservable(func(s Subscriber[R]) {
		w := &withLatestRun[T, O, R]{ser: &serializer[R]{dst: s.dst}, project: project}
		other.subscribeChild(s.life, Observer[O](withLatestOther[T, O, R]{w}))
		if s.Closed() {
			return
		}
		src.run(upstream(s, Observer[T](w)))
	})
}

type withLatestRun[T, O, R any] struct {
	ser     *serializer[R]
	project func(T, O) R

	mu     sync.Mutex
	latest O
	has    bool
	ended  bool
}

func (w *withLatestRun[T, O, R]) Next(v T) {
	w.mu.Lock()
	if !w.has || w.ended {
		w.mu.Unlock()
		return
	}
	latest := w.latest
	w.mu.Unlock()
	w.ser.Next(w.project(v, latest)) // src's goroutine: a panic fails the stream
}

func (w *withLatestRun[T, O, R]) Error(err error) { w.end(notification[R]{kind: kindError, err: err}) }
func (w *withLatestRun[T, O, R]) Complete()       { w.end(notification[R]{kind: kindComplete}) }

func (w *withLatestRun[T, O, R]) end(n notification[R]) {
	w.mu.Lock()
	var cl claimed[R]
	if !w.ended {
		w.ended = true
		cl = w.ser.claimAll(n)
	}
	w.mu.Unlock()
	cl.deliver()
}

type withLatestOther[T, O, R any] struct{ w *withLatestRun[T, O, R] }

func (o withLatestOther[T, O, R]) Next(v O) {
	o.w.mu.Lock()
	o.w.latest, o.w.has = v, true
	o.w.mu.Unlock()
}
func (o withLatestOther[T, O, R]) Error(err error) {
	o.w.end(notification[R]{kind: kindError, err: err})
}
func (o withLatestOther[T, O, R]) Complete() {}
