package rx

import (
	"sync"
	"time"
)

// Sample emits the latest value of src each time notifier emits, if src
// has emitted since the previous sample, as RxJS's sample. src is
// subscribed first; the stream completes with src (notifier's completion
// changes nothing) and fails with the first error of either.
func Sample[T, N any](src Observable[T], notifier Observable[N]) Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		r := &sampleRun[T]{ser: &serializer[T]{dst: s.dst}}
		src.subscribeChild(s.life, Observer[T](r))
		if s.Closed() {
			return
		}
		notifier.subscribeChild(s.life, Observer[N](sampleNotifier[T, N]{r}))
	})
}

// SampleTime emits the latest value of src every period, if src has
// emitted since the previous one, as RxJS's sampleTime.
func SampleTime[T any](src Observable[T], period time.Duration) Observable[T] {
	if period <= 0 {
		panic("rx: SampleTime: period must be positive")
	}
	return Sample(src, Interval(period))
}

type sampleRun[T any] struct {
	ser *serializer[T]

	mu     sync.Mutex
	latest T
	has    bool
	ended  bool
}

func (r *sampleRun[T]) Next(v T) {
	r.mu.Lock()
	r.latest, r.has = v, true
	r.mu.Unlock()
}
func (r *sampleRun[T]) Error(err error) { r.end(notification[T]{kind: kindError, err: err}) }
func (r *sampleRun[T]) Complete()       { r.end(notification[T]{kind: kindComplete}) }

func (r *sampleRun[T]) end(n notification[T]) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.ended = true
		var zero T
		r.latest, r.has = zero, false
		cl = r.ser.claimAll(n)
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *sampleRun[T]) sample() {
	r.mu.Lock()
	var cl claimed[T]
	if r.has && !r.ended {
		v := r.latest
		var zero T
		r.latest, r.has = zero, false
		cl = r.ser.claimAll(notification[T]{kind: kindNext, value: v})
	}
	r.mu.Unlock()
	cl.deliver()
}

type sampleNotifier[T, N any] struct{ r *sampleRun[T] }

func (o sampleNotifier[T, N]) Next(N)          { o.r.sample() }
func (o sampleNotifier[T, N]) Error(err error) { o.r.end(notification[T]{kind: kindError, err: err}) }
func (o sampleNotifier[T, N]) Complete()       {}

// Audit, on a value of src, subscribes to durationSelector(value) and
// ignores src until that Observable emits; then it emits the latest value
// of src, as RxJS's audit. When src completes during a duration, the last
// value is emitted at the end of it, then the stream completes.
func Audit[T, D any](src Observable[T], durationSelector func(T) Observable[D]) Observable[T] {
	if durationSelector == nil {
		panic("rx: Audit: nil duration selector")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &auditRun[T, D]{s: s, ser: &serializer[T]{dst: s.dst}, selector: durationSelector}
		src.subscribeChild(s.life, Observer[T](r))
	})
}

// AuditTime is Audit with a fixed duration: on a value of src it waits d,
// then emits the latest value, as RxJS's auditTime.
func AuditTime[T any](src Observable[T], d time.Duration) Observable[T] {
	if d < 0 {
		panic("rx: AuditTime: negative duration")
	}
	return Audit(src, func(T) Observable[int] { return Timer(d) })
}

type auditRun[T, D any] struct {
	s        Subscriber[T]
	ser      *serializer[T]
	selector func(T) Observable[D]

	mu       sync.Mutex
	latest   T
	has      bool
	duration *lifetime // the running duration, nil when none
	srcDone  bool
	ended    bool
}

func (r *auditRun[T, D]) Next(v T) {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	r.latest, r.has = v, true
	start := r.duration == nil
	var c *lifetime
	if start {
		c = r.s.life.child()
		r.duration = c
	}
	r.mu.Unlock()
	if !start || c == nil {
		return
	}
	d, err := apply(r.selector, v)
	if err != nil {
		r.end(notification[T]{kind: kindError, err: err})
		return
	}
	d.run(Subscriber[D]{life: c, dst: &gate[D]{life: c, obs: auditDuration[T, D]{r, c}}})
}

func (r *auditRun[T, D]) Error(err error) { r.end(notification[T]{kind: kindError, err: err}) }

func (r *auditRun[T, D]) Complete() {
	r.mu.Lock()
	r.srcDone = true
	wait := r.duration != nil && r.has
	r.mu.Unlock()
	if !wait {
		r.end(notification[T]{kind: kindComplete})
	}
}

func (r *auditRun[T, D]) end(n notification[T]) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.ended = true
		cl = r.ser.claimAll(n)
	}
	r.mu.Unlock()
	cl.deliver()
}

// endDuration emits the latest value when the duration c emits (emit) or
// drops it when it completes without emitting.
func (r *auditRun[T, D]) endDuration(c *lifetime, emit bool) {
	r.mu.Lock()
	if r.duration != c || r.ended {
		r.mu.Unlock()
		return
	}
	r.duration = nil
	v, has := r.latest, r.has
	var zero T
	r.latest, r.has = zero, false
	var cl claimed[T]
	switch {
	case r.srcDone:
		r.ended = true
		if has && emit {
			cl = r.ser.claimAll(notification[T]{kind: kindNext, value: v}, notification[T]{kind: kindComplete})
		} else {
			cl = r.ser.claimAll(notification[T]{kind: kindComplete})
		}
	case has && emit:
		cl = r.ser.claimAll(notification[T]{kind: kindNext, value: v})
	}
	r.mu.Unlock()
	c.unsubscribe()
	cl.deliver()
}

type auditDuration[T, D any] struct {
	r *auditRun[T, D]
	c *lifetime
}

func (o auditDuration[T, D]) Next(D)          { o.r.endDuration(o.c, true) }
func (o auditDuration[T, D]) Error(err error) { o.r.end(notification[T]{kind: kindError, err: err}) }
func (o auditDuration[T, D]) Complete()       { o.r.endDuration(o.c, false) }
