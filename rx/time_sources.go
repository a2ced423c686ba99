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
		start := time.Now()
		var (
			mu      sync.Mutex
			timer   *time.Timer
			stopped bool
			n       int
		)
		tick := func() {
			defer s.catch()
			if s.Closed() {
				return
			}
			s.dst.Next(n)
			n++
			mu.Lock()
			defer mu.Unlock()
			if !stopped {
				timer.Reset(time.Until(start.Add(time.Duration(n+1) * period)))
			}
		}
		mu.Lock()
		timer = time.AfterFunc(period, tick)
		mu.Unlock()
		s.OnTeardown(func() {
			mu.Lock()
			stopped = true
			timer.Stop()
			mu.Unlock()
		})
	})
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
