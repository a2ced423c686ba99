package rx

import (
	"sync"
	"time"
)

// ThrottleConfig says which values of a throttling window ThrottleTime
// emits, as RxJS's ThrottleConfig.
type ThrottleConfig struct {
	// Leading emits the value that opens a window.
	Leading bool
	// Trailing emits, when a window ends, the latest value that came
	// during it (which opens the next window).
	Trailing bool
}

// ThrottleTime emits a value of src and then ignores src for d, as RxJS's
// throttleTime(d, scheduler, config): with Leading, the value that opens
// the window is emitted at once; with Trailing, the latest value of the
// window is emitted when it ends. Throttle(src, d) is ThrottleTime with
// Leading only. With Trailing, a value pending when src completes is
// emitted at the end of its window, then the stream completes.
func ThrottleTime[T any](src Observable[T], d time.Duration, cfg ThrottleConfig) Observable[T] {
	if d < 0 {
		panic("rx: ThrottleTime: negative duration")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &throttleRun[T]{s: s, ser: &serializer[T]{dst: s.dst}, d: d, cfg: cfg}
		s.OnTeardown(r.stop)
		src.run(upstream(s, Observer[T](r)))
	})
}

type throttleRun[T any] struct {
	s   Subscriber[T]
	ser *serializer[T]
	d   time.Duration
	cfg ThrottleConfig

	mu        sync.Mutex
	timer     *time.Timer
	throttled bool // a window is open
	pending   T
	has       bool
	srcDone   bool
	ended     bool
}

// openLocked starts a window; r.mu is held.
func (r *throttleRun[T]) openLocked() {
	r.throttled = true
	if r.timer == nil {
		r.timer = time.AfterFunc(r.d, r.windowEnd)
	} else {
		r.timer.Reset(r.d)
	}
}

func (r *throttleRun[T]) Next(v T) {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	var cl claimed[T]
	if r.throttled {
		r.pending, r.has = v, true
	} else {
		r.openLocked()
		if r.cfg.Leading {
			cl = r.ser.claimAll(notification[T]{kind: kindNext, value: v})
		} else {
			r.pending, r.has = v, true
		}
	}
	r.mu.Unlock()
	cl.deliver()
}

// windowEnd emits the trailing value, which opens a new window, or closes
// the window.
func (r *throttleRun[T]) windowEnd() {
	defer r.s.catch()
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	r.throttled = false
	var ns []notification[T]
	if r.cfg.Trailing && r.has {
		ns = append(ns, notification[T]{kind: kindNext, value: r.pending})
		var zero T
		r.pending, r.has = zero, false
		if !r.srcDone {
			r.openLocked()
		}
	} else {
		var zero T
		r.pending, r.has = zero, false
	}
	if r.srcDone {
		r.ended = true
		ns = append(ns, notification[T]{kind: kindComplete})
	}
	cl := r.ser.claimAll(ns...)
	r.mu.Unlock()
	cl.deliver()
}

func (r *throttleRun[T]) Error(err error) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.ended = true
		cl = r.ser.claimAll(notification[T]{kind: kindError, err: err})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *throttleRun[T]) Complete() {
	r.mu.Lock()
	r.srcDone = true
	var cl claimed[T]
	if !r.ended && !(r.cfg.Trailing && r.has && r.throttled) {
		r.ended = true
		cl = r.ser.claimAll(notification[T]{kind: kindComplete})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *throttleRun[T]) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = true
	if r.timer != nil {
		r.timer.Stop()
	}
}
