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
		r := &windowRun[T]{ser: &serializer[Observable[T]]{dst: s.dst}}
		r.mu.Lock()
		cl := r.openLocked()
		r.mu.Unlock()
		cl.deliver()
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

type windowRun[T any] struct {
	ser *serializer[Observable[T]]

	mu    sync.Mutex
	cur   *Subject[T]
	ended bool
}

// openLocked replaces the current window; r.mu is held. The old one
// completes, the new one is claimed for emission.
func (r *windowRun[T]) openLocked() claimed[Observable[T]] {
	if r.cur != nil {
		r.cur.Complete()
	}
	r.cur = NewSubject[T]()
	return r.ser.claimAll(notification[Observable[T]]{kind: kindNext, value: r.cur.AsObservable()})
}

func (r *windowRun[T]) Next(v T) {
	r.mu.Lock()
	cur := r.cur
	if r.ended {
		cur = nil
	}
	// Under r.mu, so that a value cannot go to a window that was replaced.
	if cur != nil {
		cur.Next(v)
	}
	r.mu.Unlock()
}

func (r *windowRun[T]) end(err error) {
	r.mu.Lock()
	var cl claimed[Observable[T]]
	if !r.ended {
		r.ended = true
		if err != nil {
			r.cur.Error(err)
			cl = r.ser.claimAll(notification[Observable[T]]{kind: kindError, err: err})
		} else {
			r.cur.Complete()
			cl = r.ser.claimAll(notification[Observable[T]]{kind: kindComplete})
		}
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *windowRun[T]) Error(err error) { r.end(err) }
func (r *windowRun[T]) Complete()       { r.end(nil) }

type windowNotifier[T, N any] struct{ r *windowRun[T] }

func (o windowNotifier[T, N]) Next(N) {
	o.r.mu.Lock()
	var cl claimed[Observable[T]]
	if !o.r.ended {
		cl = o.r.openLocked()
	}
	o.r.mu.Unlock()
	cl.deliver()
}
func (o windowNotifier[T, N]) Error(err error) { o.r.end(err) }
func (o windowNotifier[T, N]) Complete()       {}
