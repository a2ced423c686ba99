package rx

import "sync"

// DebounceWhen is Debounce with a duration per value: a value of src is
// emitted when durationSelector(value) emits, unless src emitted again
// before (which unsubscribes that duration), as RxJS's debounce. When src
// completes, a pending value is emitted at once, then the stream
// completes; a duration that completes without emitting drops its value.
func DebounceWhen[T, D any](src Observable[T], durationSelector func(T) Observable[D]) Observable[T] {
	if durationSelector == nil {
		panic("rx: DebounceWhen: nil duration selector")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &debounceWhenRun[T, D]{s: s, ser: &serializer[T]{dst: s.dst}, selector: durationSelector}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

type debounceWhenRun[T, D any] struct {
	s        Subscriber[T]
	ser      *serializer[T]
	selector func(T) Observable[D]

	mu       sync.Mutex
	pending  T
	has      bool
	duration *lifetime
	ended    bool
}

func (r *debounceWhenRun[T, D]) Next(v T) {
	c := r.s.life.child()
	if c == nil {
		return
	}
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		c.unsubscribe()
		return
	}
	prev := r.duration
	r.pending, r.has, r.duration = v, true, c
	r.mu.Unlock()
	if prev != nil {
		prev.unsubscribe()
	}
	d, err := apply(r.selector, v)
	if err != nil {
		r.end(notification[T]{kind: kindError, err: err}, false)
		return
	}
	d.run(Subscriber[D]{life: c, dst: &gate[D]{life: c, obs: debounceDuration[T, D]{r, c}}})
}

func (r *debounceWhenRun[T, D]) Error(err error) {
	r.end(notification[T]{kind: kindError, err: err}, false)
}
func (r *debounceWhenRun[T, D]) Complete() { r.end(notification[T]{kind: kindComplete}, true) }

// end ends the stream with n, after the pending value when flush is set.
func (r *debounceWhenRun[T, D]) end(n notification[T], flush bool) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.ended = true
		if flush && r.has {
			cl = r.ser.claimAll(notification[T]{kind: kindNext, value: r.pending}, n)
		} else {
			cl = r.ser.claimAll(n)
		}
		var zero T
		r.pending, r.has = zero, false
	}
	r.mu.Unlock()
	cl.deliver()
}

// fire emits the pending value if c is still its duration.
func (r *debounceWhenRun[T, D]) fire(c *lifetime, emit bool) {
	r.mu.Lock()
	if r.ended || r.duration != c {
		r.mu.Unlock()
		return
	}
	r.duration = nil
	v, has := r.pending, r.has
	var zero T
	r.pending, r.has = zero, false
	var cl claimed[T]
	if emit && has {
		cl = r.ser.claimAll(notification[T]{kind: kindNext, value: v})
	}
	r.mu.Unlock()
	c.unsubscribe()
	cl.deliver()
}

type debounceDuration[T, D any] struct {
	r *debounceWhenRun[T, D]
	c *lifetime
}

func (o debounceDuration[T, D]) Next(D) { o.r.fire(o.c, true) }
func (o debounceDuration[T, D]) Error(err error) {
	o.r.end(notification[T]{kind: kindError, err: err}, false)
}
func (o debounceDuration[T, D]) Complete() { o.r.fire(o.c, false) }

// ThrottleWhen is ThrottleTime with a duration per window: a window opens
// with durationSelector(value) and ends when that Observable emits or
// completes, as RxJS's throttle(durationSelector, config).
func ThrottleWhen[T, D any](src Observable[T], durationSelector func(T) Observable[D], cfg ThrottleConfig) Observable[T] {
	if durationSelector == nil {
		panic("rx: ThrottleWhen: nil duration selector")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &throttleWhenRun[T, D]{s: s, ser: &serializer[T]{dst: s.dst}, selector: durationSelector, cfg: cfg}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

// throttleWhenRun follows RxJS's throttle step by step; notifications are
// claimed under mu and delivered after it, and durations are started
// after it.
type throttleWhenRun[T, D any] struct {
	s        Subscriber[T]
	ser      *serializer[T]
	selector func(T) Observable[D]
	cfg      ThrottleConfig

	mu        sync.Mutex
	throttled *lifetime
	sendValue T
	hasValue  bool
	complete  bool
	ended     bool
}

// step is what a call decided under mu: notifications to deliver, and
// whether to start a window for value.
type throttleStep[T any] struct {
	cl    claimed[T]
	start bool
	value T
}

func (r *throttleWhenRun[T, D]) do(st throttleStep[T]) {
	st.cl.deliver()
	if st.start {
		r.startThrottle(st.value)
	}
}

// sendLocked emits the held value and opens a window for it; r.mu is held.
func (r *throttleWhenRun[T, D]) sendLocked(ns []notification[T]) ([]notification[T], bool, T) {
	var zero T
	if !r.hasValue {
		return ns, false, zero
	}
	v := r.sendValue
	r.hasValue, r.sendValue = false, zero
	return append(ns, notification[T]{kind: kindNext, value: v}), !r.complete, v
}

func (r *throttleWhenRun[T, D]) Next(v T) {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	r.hasValue, r.sendValue = true, v
	var st throttleStep[T]
	if r.throttled == nil {
		if r.cfg.Leading {
			var ns []notification[T]
			ns, st.start, st.value = r.sendLocked(nil)
			st.cl = r.ser.claimAll(ns...)
		} else {
			st.start, st.value = true, v
		}
		if st.start {
			r.throttled = throttlePending
		}
	}
	r.mu.Unlock()
	r.do(st)
}

// throttlePending marks a window being opened (its lifetime not made yet).
var throttlePending = &lifetime{}

func (r *throttleWhenRun[T, D]) startThrottle(v T) {
	c := r.s.life.child()
	if c == nil {
		return
	}
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		c.unsubscribe()
		return
	}
	r.throttled = c
	r.mu.Unlock()
	d, err := apply(r.selector, v)
	if err != nil {
		r.fail(err)
		return
	}
	d.run(Subscriber[D]{life: c, dst: &gate[D]{life: c, obs: throttleDuration[T, D]{r, c}}})
}

// endThrottling ends window c: on its value (emitted) or completion.
func (r *throttleWhenRun[T, D]) endThrottling(c *lifetime, emitted bool) {
	r.mu.Lock()
	if r.ended || r.throttled != c {
		r.mu.Unlock()
		return
	}
	r.throttled = nil
	var st throttleStep[T]
	var ns []notification[T]
	if emitted && r.cfg.Trailing {
		ns, st.start, st.value = r.sendLocked(ns)
		if st.start {
			r.throttled = throttlePending
		}
	}
	if r.complete {
		r.ended = true
		ns = append(ns, notification[T]{kind: kindComplete})
	}
	st.cl = r.ser.claimAll(ns...)
	r.mu.Unlock()
	c.unsubscribe()
	r.do(st)
}

func (r *throttleWhenRun[T, D]) Error(err error) { r.fail(err) }

func (r *throttleWhenRun[T, D]) fail(err error) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.ended = true
		cl = r.ser.claimAll(notification[T]{kind: kindError, err: err})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *throttleWhenRun[T, D]) Complete() {
	r.mu.Lock()
	r.complete = true
	var cl claimed[T]
	if !r.ended && !(r.cfg.Trailing && r.hasValue && r.throttled != nil) {
		r.ended = true
		cl = r.ser.claimAll(notification[T]{kind: kindComplete})
	}
	r.mu.Unlock()
	cl.deliver()
}

type throttleDuration[T, D any] struct {
	r *throttleWhenRun[T, D]
	c *lifetime
}

func (o throttleDuration[T, D]) Next(D)          { o.r.endThrottling(o.c, true) }
func (o throttleDuration[T, D]) Error(err error) { o.r.fail(err) }
func (o throttleDuration[T, D]) Complete()       { o.r.endThrottling(o.c, false) }
