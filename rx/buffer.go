package rx

import (
	"sync"
	"time"
)

// Pairwise emits each value of src with the one before it, [previous,
// current], from the second value on, as RxJS's pairwise.
func Pairwise[T any](src Observable[T]) Observable[[2]T] {
	return newObservable(func(s Subscriber[[2]T]) {
		src.run(upstream(s, Observer[T](&pairwiseObserver[T]{dst: s.dst})))
	})
}

type pairwiseObserver[T any] struct {
	dst  Observer[[2]T]
	prev T
	has  bool
}

func (o *pairwiseObserver[T]) Next(v T) {
	if o.has {
		o.dst.Next([2]T{o.prev, v})
	}
	o.prev, o.has = v, true
}
func (o *pairwiseObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *pairwiseObserver[T]) Complete()       { o.dst.Complete() }

// BufferCount collects the values of src into slices of size and emits
// each when full, starting a new slice every `every` values (every ==
// size: back to back; every < size: overlapping; 0 means size), as RxJS's
// bufferCount. When src completes, the slices still open are emitted, then
// the stream completes.
func BufferCount[T any](src Observable[T], size, every int) Observable[[]T] {
	if size <= 0 {
		panic("rx: BufferCount: size must be positive")
	}
	if every < 0 {
		panic("rx: BufferCount: negative start interval")
	}
	if every == 0 {
		every = size
	}
	return newObservable(func(s Subscriber[[]T]) {
		src.run(upstream(s, Observer[T](&bufferCountObserver[T]{dst: s.dst, size: size, every: every})))
	})
}

type bufferCountObserver[T any] struct {
	dst         Observer[[]T]
	size, every int
	open        [][]T
	n           int
}

func (o *bufferCountObserver[T]) Next(v T) {
	if o.n%o.every == 0 {
		o.open = append(o.open, make([]T, 0, o.size))
	}
	o.n++
	for i := range o.open {
		o.open[i] = append(o.open[i], v)
	}
	for len(o.open) > 0 && len(o.open[0]) == o.size {
		full := o.open[0]
		o.open = o.open[1:]
		o.dst.Next(full)
	}
}
func (o *bufferCountObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *bufferCountObserver[T]) Complete() {
	for _, b := range o.open {
		if len(b) > 0 {
			o.dst.Next(b)
		}
	}
	o.dst.Complete()
}

// Buffer collects the values of src and emits them as a slice each time
// notifier emits (an empty, non-nil slice when none came), as RxJS's
// buffer. When src completes, the values collected so far are emitted,
// then the stream completes; notifier's completion changes nothing.
func Buffer[T, N any](src Observable[T], notifier Observable[N]) Observable[[]T] {
	return newObservable(func(s Subscriber[[]T]) {
		r := &bufferRun[T]{ser: &serializer[[]T]{dst: s.dst}, buf: []T{}}
		src.subscribeChild(s.life, Observer[T](r))
		if s.Closed() {
			return
		}
		notifier.subscribeChild(s.life, Observer[N](bufferNotifier[T, N]{r}))
	})
}

type bufferRun[T any] struct {
	ser *serializer[[]T]

	mu    sync.Mutex
	buf   []T
	ended bool
}

func (r *bufferRun[T]) Next(v T) {
	r.mu.Lock()
	if !r.ended {
		r.buf = append(r.buf, v)
	}
	r.mu.Unlock()
}

func (r *bufferRun[T]) flush(end *notification[[]T]) {
	r.mu.Lock()
	var cl claimed[[]T]
	if !r.ended {
		buf := r.buf
		r.buf = []T{}
		switch {
		case end == nil:
			cl = r.ser.claimAll(notification[[]T]{kind: kindNext, value: buf})
		case end.kind == kindComplete:
			r.ended = true
			cl = r.ser.claimAll(notification[[]T]{kind: kindNext, value: buf}, *end)
		default:
			r.ended = true
			cl = r.ser.claimAll(*end)
		}
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *bufferRun[T]) Error(err error) { r.flush(&notification[[]T]{kind: kindError, err: err}) }
func (r *bufferRun[T]) Complete()       { r.flush(&notification[[]T]{kind: kindComplete}) }

type bufferNotifier[T, N any] struct{ r *bufferRun[T] }

func (o bufferNotifier[T, N]) Next(N) { o.r.flush(nil) }
func (o bufferNotifier[T, N]) Error(err error) {
	o.r.flush(&notification[[]T]{kind: kindError, err: err})
}
func (o bufferNotifier[T, N]) Complete() {}

// WindowCount is BufferCount with windows instead of slices: each window
// is an Observable (a Subject) emitted when it opens, that gets its values
// as they come and completes when full, as RxJS's windowCount. A window is
// open from the start; one is opened every `every` values (0 means size).
func WindowCount[T any](src Observable[T], size, every int) Observable[Observable[T]] {
	if size <= 0 {
		panic("rx: WindowCount: size must be positive")
	}
	if every < 0 {
		panic("rx: WindowCount: negative start interval")
	}
	if every == 0 {
		every = size
	}
	return newObservable(func(s Subscriber[Observable[T]]) {
		o := &windowCountObserver[T]{dst: s.dst, size: size, every: every}
		o.open()
		src.run(upstream(s, Observer[T](o)))
	})
}

type windowCountObserver[T any] struct {
	dst         Observer[Observable[T]]
	size, every int
	windows     []*Subject[T]
	counts      []int
	n           int
}

func (o *windowCountObserver[T]) open() {
	w := NewSubject[T]()
	o.windows = append(o.windows, w)
	o.counts = append(o.counts, 0)
	o.dst.Next(w.AsObservable())
}

func (o *windowCountObserver[T]) Next(v T) {
	for i, w := range o.windows {
		w.Next(v)
		o.counts[i]++
	}
	if len(o.windows) > 0 && o.counts[0] == o.size {
		o.windows[0].Complete()
		o.windows, o.counts = o.windows[1:], o.counts[1:]
	}
	o.n++
	if o.n%o.every == 0 {
		o.open()
	}
}
func (o *windowCountObserver[T]) Error(err error) {
	for _, w := range o.windows {
		w.Error(err)
	}
	o.dst.Error(err)
}
func (o *windowCountObserver[T]) Complete() {
	for _, w := range o.windows {
		w.Complete()
	}
	o.dst.Complete()
}

// Window emits a window (an Observable of the values of src) at once, and
// closes it and opens the next each time notifier emits, as RxJS's window.
// A window is a Subject: subscribe to it when it is emitted to see all its
// values.
func Window[T, N any](src Observable[T], notifier Observable[N]) Observable[Observable[T]] {
	return newObservable(func(s Subscriber[Observable[T]]) {
		r := newWindowRun[T](s.dst)
		r.open()
		src.subscribeChild(s.life, Observer[T](r))
		if s.Closed() {
			return
		}
		notifier.subscribeChild(s.life, Observer[N](windowNotifier[T, N]{r}))
	})
}

// WindowTime is Window with a window every span: RxJS's
// windowTime(span).
func WindowTime[T any](src Observable[T], span time.Duration) Observable[Observable[T]] {
	if span <= 0 {
		panic("rx: WindowTime: span must be positive")
	}
	return Window(src, Interval(span))
}

// windowRun is the state of Window and WindowWhen. Its operations (a
// value, a new window, the end) come from src's and the notifier's
// goroutines; they go through one serializer, so that each runs alone and
// in order, without a lock held while a window's subscribers run (they may
// call back in).
type windowRun[T any] struct {
	ops *serializer[windowOp[T]]
}

type windowOp[T any] struct {
	open bool // a new window; otherwise a value
	v    T
}

func newWindowRun[T any](dst Observer[Observable[T]]) *windowRun[T] {
	return &windowRun[T]{ops: &serializer[windowOp[T]]{dst: &windowExec[T]{dst: dst}}}
}

func (r *windowRun[T]) open()           { r.ops.Next(windowOp[T]{open: true}) }
func (r *windowRun[T]) Next(v T)        { r.ops.Next(windowOp[T]{v: v}) }
func (r *windowRun[T]) Error(err error) { r.ops.Error(err) }
func (r *windowRun[T]) Complete()       { r.ops.Complete() }
func (r *windowRun[T]) end(err error) {
	if err != nil {
		r.Error(err)
	} else {
		r.Complete()
	}
}

// windowExec runs the operations one at a time.
type windowExec[T any] struct {
	dst   Observer[Observable[T]]
	cur   *Subject[T]
	ended bool
}

func (e *windowExec[T]) Next(op windowOp[T]) {
	switch {
	case e.ended:
	case op.open:
		if e.cur != nil {
			e.cur.Complete()
		}
		e.cur = NewSubject[T]()
		e.dst.Next(e.cur.AsObservable())
	case e.cur != nil:
		e.cur.Next(op.v)
	}
}

func (e *windowExec[T]) Error(err error) {
	if !e.ended {
		e.ended = true
		if e.cur != nil {
			e.cur.Error(err)
		}
		e.dst.Error(err)
	}
}

func (e *windowExec[T]) Complete() {
	if !e.ended {
		e.ended = true
		if e.cur != nil {
			e.cur.Complete()
		}
		e.dst.Complete()
	}
}

type windowNotifier[T, N any] struct{ r *windowRun[T] }

func (o windowNotifier[T, N]) Next(N)          { o.r.open() }
func (o windowNotifier[T, N]) Error(err error) { o.r.end(err) }
func (o windowNotifier[T, N]) Complete()       {}
