package rx

import (
	"sync"
	"sync/atomic"
	"time"
)

// RetryConfig configures RetryWith, as RxJS's RetryConfig.
type RetryConfig struct {
	// Count is the number of retries; 0 retries for ever (RxJS's default).
	Count int
	// Delay waits this long before each retry.
	Delay time.Duration
	// DelayFunc, when set, replaces Delay: it is called with the error and
	// the number of this retry (1 for the first) and returns how long to
	// wait, or an error that ends the stream instead of retrying.
	DelayFunc func(err error, retryCount int) (time.Duration, error)
	// ResetOnSuccess resets the count of retries when an attempt emits a
	// value, so that Count limits consecutive failures.
	ResetOnSuccess bool
}

// RetryWith subscribes to src again when it fails, as configured, as RxJS's
// retry(config). The values of every attempt are passed on; once the
// retries are used up, the stream fails with the last error. While it
// waits it holds a timer, not a goroutine.
func RetryWith[T any](src Observable[T], cfg RetryConfig) Observable[T] {
	if cfg.Count < 0 {
		panic("rx: RetryWith: negative count")
	}
	if cfg.Delay < 0 {
		panic("rx: RetryWith: negative delay")
	}
	return newObservable(func(s Subscriber[T]) {
		retries := 0
		r := &againRun[T]{s: s, src: src}
		if cfg.ResetOnSuccess {
			r.onValue = func() { retries = 0 }
		}
		r.decide = func(err error) (bool, time.Duration, error) {
			if err == nil {
				return false, 0, nil
			}
			if cfg.Count > 0 && retries >= cfg.Count {
				return false, 0, err
			}
			retries++
			if cfg.DelayFunc != nil {
				d, derr := cfg.DelayFunc(err, retries)
				return derr == nil, d, derr
			}
			return true, cfg.Delay, nil
		}
		r.subscribe()
	})
}

// RepeatConfig configures RepeatWith, as RxJS's RepeatConfig.
type RepeatConfig struct {
	// Count is the number of subscriptions to src in all; 0 repeats for
	// ever (RxJS's default).
	Count int
	// Delay waits this long before each new subscription.
	Delay time.Duration
	// DelayFunc, when set, replaces Delay: it is called with the number of
	// this repetition (1 for the first) and returns how long to wait.
	DelayFunc func(repeatCount int) time.Duration
}

// Repeat subscribes to src count times in all, one after the other, and
// emits the values of every subscription, as RxJS's repeat(count): it
// completes after the last one completes, and fails at the first error.
// Repeat(src, 0) is Empty.
func Repeat[T any](src Observable[T], count int) Observable[T] {
	if count < 0 {
		panic("rx: Repeat: negative count")
	}
	if count == 0 {
		return Empty[T]()
	}
	return RepeatWith(src, RepeatConfig{Count: count})
}

// RepeatWith is Repeat as configured, as RxJS's repeat(config): for ever
// when Count is 0, with a delay before each new subscription.
func RepeatWith[T any](src Observable[T], cfg RepeatConfig) Observable[T] {
	if cfg.Count < 0 {
		panic("rx: RepeatWith: negative count")
	}
	if cfg.Delay < 0 {
		panic("rx: RepeatWith: negative delay")
	}
	return newObservable(func(s Subscriber[T]) {
		done := 0
		r := &againRun[T]{s: s, src: src}
		r.decide = func(err error) (bool, time.Duration, error) {
			if err != nil {
				return false, 0, err
			}
			done++
			if cfg.Count > 0 && done >= cfg.Count {
				return false, 0, nil
			}
			if cfg.DelayFunc != nil {
				return true, cfg.DelayFunc(done), nil
			}
			return true, cfg.Delay, nil
		}
		r.subscribe()
	})
}

// againRun subscribes to src one attempt after another: at the end of each
// (err is nil for completion), decide says whether to go again, after how
// long, or with which error to stop.
type againRun[T any] struct {
	s       Subscriber[T]
	src     Observable[T]
	decide  func(err error) (again bool, wait time.Duration, fail error)
	onValue func()

	// wip keeps a source that ends during Subscribe from growing the stack:
	// only the caller that raised it from zero loops.
	wip atomic.Int32

	mu    sync.Mutex
	timer *time.Timer
}

func (r *againRun[T]) subscribe() {
	if r.wip.Add(1) != 1 {
		return
	}
	for {
		if r.s.Closed() {
			return
		}
		r.src.subscribeChild(r.s.life, Observer[T](againObserver[T]{r}))
		if r.wip.Add(-1) == 0 {
			return
		}
	}
}

func (r *againRun[T]) end(err error) {
	again, wait, fail := r.decide(err)
	switch {
	case !again && fail != nil:
		r.s.dst.Error(fail)
	case !again:
		r.s.dst.Complete()
	case wait <= 0:
		r.subscribe()
	default:
		r.mu.Lock()
		first := r.timer == nil
		if first {
			r.timer = time.AfterFunc(wait, r.resubscribe)
		} else {
			r.timer.Reset(wait)
		}
		r.mu.Unlock()
		if first {
			// Outside r.mu: on an ended subscription it runs at once.
			r.s.OnTeardown(r.stop)
		}
	}
}

func (r *againRun[T]) resubscribe() {
	defer r.s.catch()
	r.subscribe()
}

func (r *againRun[T]) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer.Stop()
}

type againObserver[T any] struct{ r *againRun[T] }

func (o againObserver[T]) Next(v T) {
	if o.r.onValue != nil {
		o.r.onValue()
	}
	o.r.s.dst.Next(v)
}
func (o againObserver[T]) Error(err error) { o.r.end(err) }
func (o againObserver[T]) Complete()       { o.r.end(nil) }
