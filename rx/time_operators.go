package rx

import (
	"errors"
	"sync"
	"time"
)

// ErrTimeout is the error Timeout fails a stream with.
var ErrTimeout = errors.New("rx: timeout")

// Debounce emits a value of src only after d has passed without src
// emitting another one, as RxJS's debounceTime: of a burst, only the last
// value comes through. When src completes, a pending value is emitted at
// once, then the stream completes. It waits with a timer, not a goroutine.
func Debounce[T any](src Observable[T], d time.Duration) Observable[T] {
	if d < 0 {
		panic("rx: Debounce: negative duration")
	}
	return newObservable(func(s Subscriber[T]) {
		ser := &serializer[T]{dst: s.dst}
		r := &debounceRun[T]{s: Subscriber[T]{life: s.life, dst: ser}, ser: ser, d: d}
		s.OnTeardown(r.stop)
		src.run(upstream(s, Observer[T](r)))
	})
}

type debounceRun[T any] struct {
	s   Subscriber[T]
	ser *serializer[T] // s.dst
	d   time.Duration

	mu     sync.Mutex
	timer  *time.Timer
	due    time.Time // when the pending value is to be emitted
	latest T
	has    bool
	done   bool
}

func (r *debounceRun[T]) Next(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return
	}
	r.latest, r.has = v, true
	r.due = time.Now().Add(r.d)
	if r.timer == nil {
		r.timer = time.AfterFunc(r.d, r.fire)
	} else {
		r.timer.Reset(r.d)
	}
}

func (r *debounceRun[T]) fire() {
	defer r.s.catch()
	r.mu.Lock()
	// Before due: a value came while this firing was under way and re-armed
	// the timer, which fires again.
	if r.done || !r.has || time.Now().Before(r.due) {
		r.mu.Unlock()
		return
	}
	v := r.latest
	var zero T
	r.latest, r.has = zero, false
	c := r.ser.claimAll(notification[T]{kind: kindNext, value: v})
	r.mu.Unlock()
	c.deliver()
}

func (r *debounceRun[T]) Error(err error) {
	r.mu.Lock()
	r.halt()
	c := r.ser.claimAll(notification[T]{kind: kindError, err: err})
	r.mu.Unlock()
	c.deliver()
}

// Complete emits the pending value, if any, then completes. Both are
// claimed under r.mu, so a firing timer's value cannot come after them.
func (r *debounceRun[T]) Complete() {
	r.mu.Lock()
	v, has := r.latest, r.has
	r.halt()
	var c claimed[T]
	if has {
		c = r.ser.claimAll(notification[T]{kind: kindNext, value: v}, notification[T]{kind: kindComplete})
	} else {
		c = r.ser.claimAll(notification[T]{kind: kindComplete})
	}
	r.mu.Unlock()
	c.deliver()
}

func (r *debounceRun[T]) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.halt()
}

// halt stops the timer and drops the pending value; r.mu is held.
func (r *debounceRun[T]) halt() {
	var zero T
	r.done, r.has, r.latest = true, false, zero
	if r.timer != nil {
		r.timer.Stop()
	}
}

// Throttle emits a value of src, then ignores the values that follow for d,
// then emits the next one, and so on: RxJS's throttleTime with its default
// (leading) configuration. It needs no timer.
func Throttle[T any](src Observable[T], d time.Duration) Observable[T] {
	if d < 0 {
		panic("rx: Throttle: negative duration")
	}
	return newObservable(func(s Subscriber[T]) {
		src.run(upstream(s, Observer[T](&throttleObserver[T]{dst: s.dst, d: d})))
	})
}

type throttleObserver[T any] struct {
	dst     Observer[T]
	d       time.Duration
	last    time.Time
	started bool
}

func (o *throttleObserver[T]) Next(v T) {
	now := time.Now()
	if o.started && now.Sub(o.last) < o.d {
		return
	}
	o.last, o.started = now, true
	o.dst.Next(v)
}
func (o *throttleObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *throttleObserver[T]) Complete()       { o.dst.Complete() }

// BufferTime collects the values of src and emits them as a slice every
// period, as RxJS's bufferTime: a period without values emits an empty
// (non-nil) slice. When src completes, the values collected so far are
// emitted, then the stream completes; on error they are dropped.
func BufferTime[T any](src Observable[T], period time.Duration) Observable[[]T] {
	if period <= 0 {
		panic("rx: BufferTime: period must be positive")
	}
	return newObservable(func(s Subscriber[[]T]) {
		ser := &serializer[[]T]{dst: s.dst}
		r := &bufferTimeRun[T]{
			s:      Subscriber[[]T]{life: s.life, dst: ser},
			ser:    ser,
			period: period,
			start:  time.Now(),
		}
		r.mu.Lock()
		r.timer = time.AfterFunc(period, r.tick)
		r.mu.Unlock()
		s.OnTeardown(r.stop)
		src.run(Subscriber[T]{life: s.life, dst: r})
	})
}

type bufferTimeRun[T any] struct {
	s      Subscriber[[]T]
	ser    *serializer[[]T] // s.dst
	period time.Duration
	start  time.Time

	mu    sync.Mutex
	timer *time.Timer
	buf   []T
	ticks int
	done  bool
}

func (r *bufferTimeRun[T]) Next(v T) {
	r.mu.Lock()
	if !r.done {
		r.buf = append(r.buf, v)
	}
	r.mu.Unlock()
}

// tick emits the buffer. Ticks are scheduled from the start, so delivery
// time does not make them drift.
func (r *bufferTimeRun[T]) tick() {
	defer r.s.catch()
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	buf := r.take()
	r.ticks++
	r.timer.Reset(time.Until(r.start.Add(time.Duration(r.ticks+1) * r.period)))
	c := r.ser.claimAll(notification[[]T]{kind: kindNext, value: buf})
	r.mu.Unlock()
	c.deliver()
}

// take returns the buffer and starts a new one sized like it; r.mu is held.
func (r *bufferTimeRun[T]) take() []T {
	buf := r.buf
	if buf == nil {
		buf = []T{}
	}
	r.buf = make([]T, 0, len(buf))
	return buf
}

func (r *bufferTimeRun[T]) Error(err error) {
	r.mu.Lock()
	r.halt()
	c := r.ser.claimAll(notification[[]T]{kind: kindError, err: err})
	r.mu.Unlock()
	c.deliver()
}

// Complete emits the last buffer and completes, claimed under r.mu so that
// a tick's buffer cannot come after them.
func (r *bufferTimeRun[T]) Complete() {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	buf := r.take()
	r.halt()
	c := r.ser.claimAll(notification[[]T]{kind: kindNext, value: buf}, notification[[]T]{kind: kindComplete})
	r.mu.Unlock()
	c.deliver()
}

func (r *bufferTimeRun[T]) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.halt()
}

// halt stops the timer and drops the buffer; r.mu is held.
func (r *bufferTimeRun[T]) halt() {
	r.done, r.buf = true, nil
	r.timer.Stop()
}

// Timeout fails the stream with ErrTimeout when src emits nothing within d
// of being subscribed, or within d of its previous value (RxJS's timeout
// with a duration), and unsubscribes from src.
func Timeout[T any](src Observable[T], d time.Duration) Observable[T] {
	if d <= 0 {
		panic("rx: Timeout: duration must be positive")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &timeoutRun[T]{s: Subscriber[T]{life: s.life, dst: &serializer[T]{dst: s.dst}}, d: d}
		r.mu.Lock()
		r.due = time.Now().Add(d)
		r.timer = time.AfterFunc(d, r.fire)
		r.mu.Unlock()
		s.OnTeardown(func() { r.stop() })
		src.run(upstream(s, Observer[T](r)))
	})
}

type timeoutRun[T any] struct {
	s Subscriber[T]
	d time.Duration

	mu    sync.Mutex
	timer *time.Timer
	due   time.Time
	done  bool
}

func (r *timeoutRun[T]) Next(v T) {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.due = time.Now().Add(r.d)
	r.timer.Reset(r.d)
	r.mu.Unlock()
	r.s.dst.Next(v)
}

func (r *timeoutRun[T]) fire() {
	defer r.s.catch()
	r.mu.Lock()
	if r.done || time.Now().Before(r.due) {
		r.mu.Unlock()
		return
	}
	r.done = true
	r.mu.Unlock()
	r.s.dst.Error(ErrTimeout)
}

func (r *timeoutRun[T]) Error(err error) {
	if r.stop() {
		r.s.dst.Error(err)
	}
}

func (r *timeoutRun[T]) Complete() {
	if r.stop() {
		r.s.dst.Complete()
	}
}

// stop reports whether it stopped a running timeout.
func (r *timeoutRun[T]) stop() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer.Stop()
	was := r.done
	r.done = true
	return !was
}
