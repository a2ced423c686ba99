package rx

import "sync"

// BufferWhen collects the values of src into a slice, starting at once:
// when closingSelector()'s Observable emits, it emits the slice and starts
// the next, calling closingSelector again, as RxJS's bufferWhen. When src
// completes, the current slice is emitted (empty or not), then the stream
// completes; a closing Observable that completes without emitting leaves
// the slice open.
func BufferWhen[T, C any](src Observable[T], closingSelector func() Observable[C]) Observable[[]T] {
	if closingSelector == nil {
		panic("rx: BufferWhen: nil closing selector")
	}
	return newObservable(func(s Subscriber[[]T]) {
		r := &bufferWhenRun[T, C]{s: s, ser: &serializer[[]T]{dst: s.dst}, selector: closingSelector}
		r.open(nil)
		if s.Closed() {
			return
		}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

type bufferWhenRun[T, C any] struct {
	s        Subscriber[[]T]
	ser      *serializer[[]T]
	selector func() Observable[C]

	mu      sync.Mutex
	buf     []T
	closing *lifetime
	ended   bool
}

// open emits the current buffer (unless this is the first) and starts the
// next one with a new closing Observable; prev is the closing that fired.
func (r *bufferWhenRun[T, C]) open(prev *lifetime) {
	c := r.s.life.child()
	if c == nil {
		return
	}
	r.mu.Lock()
	if r.ended || r.closing != prev {
		r.mu.Unlock()
		c.unsubscribe()
		return
	}
	var cl claimed[[]T]
	if prev != nil {
		cl = r.ser.claimAll(notification[[]T]{kind: kindNext, value: r.buf})
	}
	r.buf, r.closing = []T{}, c
	r.mu.Unlock()
	if prev != nil {
		prev.unsubscribe()
	}
	cl.deliver()
	closing, err := callSelector(r.selector)
	if err != nil {
		r.Error(err)
		return
	}
	closing.run(Subscriber[C]{life: c, dst: &gate[C]{life: c, obs: closingObserver[C]{
		next: func() { r.open(c) }, fail: r.Error,
	}}})
}

func (r *bufferWhenRun[T, C]) Next(v T) {
	r.mu.Lock()
	if !r.ended {
		r.buf = append(r.buf, v)
	}
	r.mu.Unlock()
}

func (r *bufferWhenRun[T, C]) Error(err error) { r.end(notification[[]T]{kind: kindError, err: err}) }
func (r *bufferWhenRun[T, C]) Complete()       { r.end(notification[[]T]{kind: kindComplete}) }

func (r *bufferWhenRun[T, C]) end(n notification[[]T]) {
	r.mu.Lock()
	var cl claimed[[]T]
	if !r.ended {
		r.ended = true
		if n.kind == kindComplete {
			cl = r.ser.claimAll(notification[[]T]{kind: kindNext, value: r.buf}, n)
		} else {
			cl = r.ser.claimAll(n)
		}
		r.buf = nil
	}
	r.mu.Unlock()
	cl.deliver()
}

// closingObserver ends a buffer or window at its first value; its
// completion changes nothing, its error fails the stream.
type closingObserver[C any] struct {
	next func()
	fail func(error)
}

func (o closingObserver[C]) Next(C)          { o.next() }
func (o closingObserver[C]) Error(err error) { o.fail(err) }
func (o closingObserver[C]) Complete()       {}

func callSelector[C any](f func() Observable[C]) (Observable[C], error) {
	var o Observable[C]
	err := callRecovered(func() { o = f() })
	return o, err
}

// BufferToggle starts a slice each time openings emits and emits it when
// closingSelector(that value)'s Observable first emits, as RxJS's
// bufferToggle; every value of src goes into every open slice. When src
// completes, the open slices are emitted in the order they opened, then
// the stream completes. openings is subscribed first.
func BufferToggle[T, O, C any](src Observable[T], openings Observable[O], closingSelector func(O) Observable[C]) Observable[[]T] {
	if closingSelector == nil {
		panic("rx: BufferToggle: nil closing selector")
	}
	return newObservable(func(s Subscriber[[]T]) {
		r := &bufferToggleRun[T, O, C]{s: s, ser: &serializer[[]T]{dst: s.dst}, selector: closingSelector}
		openings.subscribeChild(s.life, Observer[O](bufferOpenings[T, O, C]{r}))
		if s.Closed() {
			return
		}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

type bufferToggleRun[T, O, C any] struct {
	s        Subscriber[[]T]
	ser      *serializer[[]T]
	selector func(O) Observable[C]

	mu    sync.Mutex
	open  []*toggleBuffer[T]
	ended bool
}

type toggleBuffer[T any] struct{ values []T }

func (r *bufferToggleRun[T, O, C]) start(v O) {
	c := r.s.life.child()
	if c == nil {
		return
	}
	b := &toggleBuffer[T]{values: []T{}}
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		c.unsubscribe()
		return
	}
	r.open = append(r.open, b)
	r.mu.Unlock()
	closing, err := apply(r.selector, v)
	if err != nil {
		r.Error(err)
		return
	}
	closing.run(Subscriber[C]{life: c, dst: &gate[C]{life: c, obs: closingObserver[C]{
		next: func() { r.close(b, c) }, fail: r.Error,
	}}})
}

func (r *bufferToggleRun[T, O, C]) close(b *toggleBuffer[T], c *lifetime) {
	r.mu.Lock()
	var cl claimed[[]T]
	for i, o := range r.open {
		if o == b && !r.ended {
			r.open = append(r.open[:i], r.open[i+1:]...)
			cl = r.ser.claimAll(notification[[]T]{kind: kindNext, value: b.values})
			break
		}
	}
	r.mu.Unlock()
	c.unsubscribe()
	cl.deliver()
}

func (r *bufferToggleRun[T, O, C]) Next(v T) {
	r.mu.Lock()
	for _, b := range r.open {
		b.values = append(b.values, v)
	}
	r.mu.Unlock()
}

func (r *bufferToggleRun[T, O, C]) Error(err error) {
	r.mu.Lock()
	var cl claimed[[]T]
	if !r.ended {
		r.ended, r.open = true, nil
		cl = r.ser.claimAll(notification[[]T]{kind: kindError, err: err})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *bufferToggleRun[T, O, C]) Complete() {
	r.mu.Lock()
	var cl claimed[[]T]
	if !r.ended {
		r.ended = true
		ns := make([]notification[[]T], 0, len(r.open)+1)
		for _, b := range r.open {
			ns = append(ns, notification[[]T]{kind: kindNext, value: b.values})
		}
		r.open = nil
		cl = r.ser.claimAll(append(ns, notification[[]T]{kind: kindComplete})...)
	}
	r.mu.Unlock()
	cl.deliver()
}

type bufferOpenings[T, O, C any] struct{ r *bufferToggleRun[T, O, C] }

func (o bufferOpenings[T, O, C]) Next(v O)        { o.r.start(v) }
func (o bufferOpenings[T, O, C]) Error(err error) { o.r.Error(err) }
func (o bufferOpenings[T, O, C]) Complete()       {}

// WindowWhen is BufferWhen with windows (Subjects) instead of slices, as
// RxJS's windowWhen: a window is emitted when it opens and completes when
// the closing Observable emits.
func WindowWhen[T, C any](src Observable[T], closingSelector func() Observable[C]) Observable[Observable[T]] {
	if closingSelector == nil {
		panic("rx: WindowWhen: nil closing selector")
	}
	return newObservable(func(s Subscriber[Observable[T]]) {
		r := newWindowRun[T](s.dst)
		r.open()
		var reopen func(prev *lifetime)
		var current *lifetime
		var mu sync.Mutex
		reopen = func(prev *lifetime) {
			c := s.life.child()
			if c == nil {
				return
			}
			mu.Lock()
			if current != prev {
				mu.Unlock()
				c.unsubscribe()
				return
			}
			current = c
			mu.Unlock()
			if prev != nil {
				prev.unsubscribe()
				r.open()
			}
			closing, err := callSelector(closingSelector)
			if err != nil {
				r.end(err)
				return
			}
			closing.run(Subscriber[C]{life: c, dst: &gate[C]{life: c, obs: closingObserver[C]{
				next: func() { reopen(c) }, fail: r.end,
			}}})
		}
		reopen(nil)
		if s.Closed() {
			return
		}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

// WindowToggle is BufferToggle with windows (Subjects) instead of slices,
// as RxJS's windowToggle.
func WindowToggle[T, O, C any](src Observable[T], openings Observable[O], closingSelector func(O) Observable[C]) Observable[Observable[T]] {
	if closingSelector == nil {
		panic("rx: WindowToggle: nil closing selector")
	}
	return newObservable(func(s Subscriber[Observable[T]]) {
		r := &windowToggleRun[T, O, C]{s: s, ser: &serializer[Observable[T]]{dst: s.dst}, selector: closingSelector}
		openings.subscribeChild(s.life, Observer[O](windowOpenings[T, O, C]{r}))
		if s.Closed() {
			return
		}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

type windowToggleRun[T, O, C any] struct {
	s        Subscriber[Observable[T]]
	ser      *serializer[Observable[T]]
	selector func(O) Observable[C]

	mu    sync.Mutex
	open  []*Subject[T]
	ended bool
}

func (r *windowToggleRun[T, O, C]) start(v O) {
	c := r.s.life.child()
	if c == nil {
		return
	}
	w := NewSubject[T]()
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		c.unsubscribe()
		return
	}
	r.open = append(r.open, w)
	cl := r.ser.claimAll(notification[Observable[T]]{kind: kindNext, value: w.AsObservable()})
	r.mu.Unlock()
	cl.deliver()
	closing, err := apply(r.selector, v)
	if err != nil {
		r.Error(err)
		return
	}
	closing.run(Subscriber[C]{life: c, dst: &gate[C]{life: c, obs: closingObserver[C]{
		next: func() { r.close(w, c) }, fail: r.Error,
	}}})
}

func (r *windowToggleRun[T, O, C]) close(w *Subject[T], c *lifetime) {
	r.mu.Lock()
	found := false
	for i, o := range r.open {
		if o == w {
			r.open = append(r.open[:i], r.open[i+1:]...)
			found = true
			break
		}
	}
	r.mu.Unlock()
	c.unsubscribe()
	if found {
		w.Complete()
	}
}

func (r *windowToggleRun[T, O, C]) Next(v T) {
	r.mu.Lock()
	open := append([]*Subject[T](nil), r.open...)
	r.mu.Unlock()
	for _, w := range open {
		w.Next(v)
	}
}

func (r *windowToggleRun[T, O, C]) end(err error) {
	r.mu.Lock()
	var cl claimed[Observable[T]]
	var open []*Subject[T]
	if !r.ended {
		r.ended, open, r.open = true, r.open, nil
		if err != nil {
			cl = r.ser.claimAll(notification[Observable[T]]{kind: kindError, err: err})
		} else {
			cl = r.ser.claimAll(notification[Observable[T]]{kind: kindComplete})
		}
	}
	r.mu.Unlock()
	for _, w := range open {
		if err != nil {
			w.Error(err)
		} else {
			w.Complete()
		}
	}
	cl.deliver()
}

func (r *windowToggleRun[T, O, C]) Error(err error) { r.end(err) }
func (r *windowToggleRun[T, O, C]) Complete()       { r.end(nil) }

type windowOpenings[T, O, C any] struct{ r *windowToggleRun[T, O, C] }

func (o windowOpenings[T, O, C]) Next(v O)        { o.r.start(v) }
func (o windowOpenings[T, O, C]) Error(err error) { o.r.Error(err) }
func (o windowOpenings[T, O, C]) Complete()       {}
