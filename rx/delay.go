package rx

import (
	"sync"
	"time"
)

// Delay shifts every value of src, and its completion, later by d, as
// RxJS's delay: each value is emitted d after src emitted it. An error is
// passed on at once, dropping the values still waiting. It waits with one
// timer, not a goroutine.
func Delay[T any](src Observable[T], d time.Duration) Observable[T] {
	if d < 0 {
		panic("rx: Delay: negative duration")
	}
	return newObservable(func(s Subscriber[T]) {
		r := &delayRun[T]{s: s, ser: &serializer[T]{dst: s.dst}, d: d}
		s.OnTeardown(r.stop)
		src.run(upstream(s, Observer[T](r)))
	})
}

type delayRun[T any] struct {
	s   Subscriber[T]
	ser *serializer[T]
	d   time.Duration

	mu      sync.Mutex
	queue   []delayed[T]
	head    int
	timer   *time.Timer
	srcDone bool
	ended   bool
}

type delayed[T any] struct {
	due time.Time
	v   T
}

func (r *delayRun[T]) Next(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ended {
		return
	}
	r.queue = append(r.queue, delayed[T]{due: time.Now().Add(r.d), v: v})
	if len(r.queue)-r.head == 1 {
		r.arm(r.d)
	}
}

// arm schedules fire after wait; r.mu is held.
func (r *delayRun[T]) arm(wait time.Duration) {
	if r.timer == nil {
		r.timer = time.AfterFunc(wait, r.fire)
	} else {
		r.timer.Reset(wait)
	}
}

// fire emits the values that are due, in order, and completes after the
// last one when src has completed.
func (r *delayRun[T]) fire() {
	defer r.s.catch()
	for {
		r.mu.Lock()
		if r.ended {
			r.mu.Unlock()
			return
		}
		if r.head == len(r.queue) {
			r.mu.Unlock()
			return
		}
		next := r.queue[r.head]
		if wait := time.Until(next.due); wait > 0 {
			r.arm(wait)
			r.mu.Unlock()
			return
		}
		r.queue[r.head] = delayed[T]{}
		r.head++
		if r.head == len(r.queue) {
			r.queue, r.head = r.queue[:0], 0
		}
		var cl claimed[T]
		if r.head == len(r.queue) && r.srcDone {
			r.ended = true
			cl = r.ser.claimAll(notification[T]{kind: kindNext, value: next.v}, notification[T]{kind: kindComplete})
		} else {
			cl = r.ser.claimAll(notification[T]{kind: kindNext, value: next.v})
		}
		r.mu.Unlock()
		cl.deliver()
	}
}

func (r *delayRun[T]) Error(err error) {
	r.mu.Lock()
	var cl claimed[T]
	if !r.ended {
		r.halt()
		cl = r.ser.claimAll(notification[T]{kind: kindError, err: err})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *delayRun[T]) Complete() {
	r.mu.Lock()
	r.srcDone = true
	var cl claimed[T]
	if !r.ended && r.head == len(r.queue) {
		r.halt()
		cl = r.ser.claimAll(notification[T]{kind: kindComplete})
	}
	r.mu.Unlock()
	cl.deliver()
}

func (r *delayRun[T]) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.halt()
}

// halt drops the waiting values and stops the timer; r.mu is held.
func (r *delayRun[T]) halt() {
	r.ended, r.queue, r.head = true, nil, 0
	if r.timer != nil {
		r.timer.Stop()
	}
}

// DelayWhen emits each value v of src when durationSelector(v) emits its
// first value, as RxJS's delayWhen; a value whose duration completes
// without emitting is dropped. It completes when src and every pending
// duration have completed.
func DelayWhen[T, D any](src Observable[T], durationSelector func(T) Observable[D]) Observable[T] {
	if durationSelector == nil {
		panic("rx: DelayWhen: nil duration selector")
	}
	return MergeMap(src, func(v T) Observable[T] {
		return Map(Take(durationSelector(v), 1), func(D) T { return v })
	})
}

// TimeIntervalValue is a value with the time since the previous one, as
// emitted by TimeInterval.
type TimeIntervalValue[T any] struct {
	Value    T
	Interval time.Duration
}

// TimeInterval emits each value of src with the time elapsed since the
// previous value (since the subscription for the first), as RxJS's
// timeInterval.
func TimeInterval[T any](src Observable[T]) Observable[TimeIntervalValue[T]] {
	return newObservable(func(s Subscriber[TimeIntervalValue[T]]) {
		last := time.Now()
		Map(src, func(v T) TimeIntervalValue[T] {
			now := time.Now()
			iv := TimeIntervalValue[T]{Value: v, Interval: now.Sub(last)}
			last = now
			return iv
		}).run(s)
	})
}

// Timestamped is a value with the time it was emitted, as emitted by
// Timestamp.
type Timestamped[T any] struct {
	Value T
	Time  time.Time
}

// Timestamp emits each value of src with the time it came, as RxJS's
// timestamp.
func Timestamp[T any](src Observable[T]) Observable[Timestamped[T]] {
	return Map(src, func(v T) Timestamped[T] { return Timestamped[T]{Value: v, Time: time.Now()} })
}
