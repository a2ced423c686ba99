package rx

import (
	"sync"
	"time"
)

// TimeoutConfig configures TimeoutWith, as RxJS's TimeoutConfig.
type TimeoutConfig[T any] struct {
	// First is how long to wait for the first value; 0 means Each.
	First time.Duration
	// Each is how long to wait for each value after the previous one
	// (and for the first, when First is 0); 0 means no limit after the
	// first value.
	Each time.Duration
	// With, when set, is called on timeout and its Observable replaces src
	// (which is unsubscribed); otherwise the stream fails with ErrTimeout.
	With func() Observable[T]
}

// TimeoutWith is Timeout as configured, as RxJS's timeout(config): a limit
// for the first value, one between values, and an Observable to go on with
// instead of failing.
func TimeoutWith[T any](src Observable[T], cfg TimeoutConfig[T]) Observable[T] {
	if cfg.First < 0 || cfg.Each < 0 {
		panic("rx: TimeoutWith: negative duration")
	}
	first := cfg.First
	if first == 0 {
		first = cfg.Each
	}
	if first == 0 {
		panic("rx: TimeoutWith: no First or Each duration")
	}
	return newObservable(func(s Subscriber[T]) {
		c := s.life.child()
		if c == nil {
			return
		}
		r := &timeoutWithRun[T]{s: Subscriber[T]{life: s.life, dst: &serializer[T]{dst: s.dst}}, cfg: cfg, src: c}
		r.mu.Lock()
		r.timer = time.AfterFunc(first, r.fire)
		r.mu.Unlock()
		s.OnTeardown(func() { r.stop() })
		src.run(Subscriber[T]{life: c, dst: &gate[T]{life: c, obs: r}})
	})
}

type timeoutWithRun[T any] struct {
	s   Subscriber[T]
	cfg TimeoutConfig[T]
	src *lifetime

	mu    sync.Mutex
	timer *time.Timer
	seq   int // values seen; a firing for an older count is stale
	armed int // the count the timer was armed at
	done  bool
}

func (r *timeoutWithRun[T]) Next(v T) {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.seq++
	if r.cfg.Each > 0 {
		r.armed = r.seq
		r.timer.Reset(r.cfg.Each)
	} else {
		r.timer.Stop()
	}
	r.mu.Unlock()
	r.s.dst.Next(v)
}

func (r *timeoutWithRun[T]) fire() {
	defer r.s.catch()
	r.mu.Lock()
	if r.done || r.armed != r.seq {
		r.mu.Unlock()
		return
	}
	r.done = true
	r.mu.Unlock()
	r.src.unsubscribe()
	if r.cfg.With == nil {
		r.s.dst.Error(ErrTimeout)
		return
	}
	next, err := callSelector(r.cfg.With)
	if err != nil {
		r.s.dst.Error(err)
		return
	}
	next.run(r.s)
}

func (r *timeoutWithRun[T]) Error(err error) {
	if r.stop() {
		r.s.dst.Error(err)
	}
}

func (r *timeoutWithRun[T]) Complete() {
	if r.stop() {
		r.s.dst.Complete()
	}
}

// stop reports whether it stopped a running timeout.
func (r *timeoutWithRun[T]) stop() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer.Stop()
	was := r.done
	r.done = true
	return !was
}
