package rx

import (
	"sync"
	"time"
)

// Interval emits 0, 1, 2, … one every period, the first after one period, and
// never completes. Each subscription has its own count. While it waits it
// holds a timer, not a goroutine. Ticks are scheduled from the subscription's
// start, so a slow observer does not make them drift.
func Interval(period time.Duration) Observable[int] {
	if period <= 0 {
		panic("rx: Interval: period must be positive")
	}
	return newObservable(func(s Subscriber[int]) {
		// One allocation holds the whole state of an idle interval.
		r := &intervalRun{s: s, period: period, start: time.Now()}
		r.mu.Lock()
		r.timer = time.AfterFunc(period, r.tick)
		r.mu.Unlock()
		s.OnTeardown(r.stop)
	})
}

type intervalRun struct {
	s      Subscriber[int]
	period time.Duration
	start  time.Time

	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	n       int // the next value; only tick touches it
}

func (r *intervalRun) tick() {
	defer r.s.catch()
	if r.s.Closed() {
		return
	}
	r.s.dst.Next(r.n)
	r.n++
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.stopped {
		r.timer.Reset(time.Until(r.start.Add(time.Duration(r.n+1) * r.period)))
	}
}

func (r *intervalRun) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	r.timer.Stop()
}

// Timer emits 0 after delay, then completes, as RxJS's timer does.
func Timer(delay time.Duration) Observable[int] {
	if delay < 0 {
		panic("rx: Timer: negative delay")
	}
	return newObservable(func(s Subscriber[int]) {
		t := time.AfterFunc(delay, func() {
			defer s.catch()
			if s.Closed() {
				return
			}
			s.dst.Next(0)
			s.dst.Complete()
		})
		s.OnTeardown(func() { t.Stop() })
	})
}

// TimerPeriod emits 0 after due, then 1, 2, … every period, and never
// completes: RxJS's timer(due, period). Like Interval it holds a timer, not
// a goroutine, and does not drift.
func TimerPeriod(due, period time.Duration) Observable[int] {
	if due < 0 {
		panic("rx: TimerPeriod: negative delay")
	}
	if period <= 0 {
		panic("rx: TimerPeriod: period must be positive")
	}
	return newObservable(func(s Subscriber[int]) {
		// The n-th value is due at start + due + n*period: Interval's
		// schedule, shifted.
		r := &intervalRun{s: s, period: period, start: time.Now().Add(due - period)}
		r.mu.Lock()
		r.timer = time.AfterFunc(due, r.tick)
		r.mu.Unlock()
		s.OnTeardown(r.stop)
	})
}
