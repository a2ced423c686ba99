package rx

import (
	"context"
	"math"
	"sync"
)

// Share turns a cold Observable into a hot one shared by its subscribers,
// counting references as RxJS's share: the first subscriber starts one run
// of src, later subscribers join it (and see only what comes after they
// joined), and when the last one leaves, src is unsubscribed. After src
// completes or fails, or after everyone left, the next subscriber starts a
// new run.
//
// The shared run belongs to no subscriber: it is not cancelled by the first
// subscriber's context, only by the last unsubscribe.
func Share[T any](src Observable[T]) Observable[T] {
	return ShareWith(src, ShareConfig[T]{ResetOnError: true, ResetOnComplete: true, ResetOnRefCountZero: true})
}

// ShareConfig configures ShareWith, as RxJS's ShareConfig. Share is
// ShareWith with every Reset field true.
type ShareConfig[T any] struct {
	// Connector makes the subject of each run; nil means NewSubject.
	Connector func() *Subject[T]
	// ResetOnError starts a new run for the next subscriber after src
	// fails; otherwise later subscribers get the subject as it ended.
	ResetOnError bool
	// ResetOnComplete starts a new run for the next subscriber after src
	// completes; otherwise later subscribers get the subject as it ended
	// (with a replay subject: the values it holds, then completion).
	ResetOnComplete bool
	// ResetOnRefCountZero unsubscribes from src when the last subscriber
	// leaves; otherwise the run goes on with no subscriber, and the next
	// one joins it.
	ResetOnRefCountZero bool
}

// ShareWith is Share as configured, as RxJS's share(config).
func ShareWith[T any](src Observable[T], cfg ShareConfig[T]) Observable[T] {
	if cfg.Connector == nil {
		cfg.Connector = NewSubject[T]
	}
	sh := &share[T]{src: src, cfg: cfg}
	return newObservable(sh.subscribe)
}

// ShareReplayConfig configures ShareReplay, as RxJS's ShareReplayConfig
// (without windowTime: use ShareWith with a Connector for that).
type ShareReplayConfig struct {
	// BufferSize is how many of the latest values a new subscriber gets
	// first; 0 means all of them.
	BufferSize int
	// RefCount unsubscribes from src when the last subscriber leaves (the
	// next subscriber starts a new run). Without it, as in RxJS, the run
	// goes on for ever once started, with or without subscribers.
	RefCount bool
}

// ShareReplay shares one run of src between subscribers, as Share does,
// and replays the latest BufferSize values to each new subscriber, as
// RxJS's shareReplay: a subscriber that comes after src completed gets the
// values and the completion; after an error, the next subscriber starts a
// new run.
func ShareReplay[T any](src Observable[T], cfg ShareReplayConfig) Observable[T] {
	if cfg.BufferSize < 0 {
		panic("rx: ShareReplay: negative buffer size")
	}
	size := cfg.BufferSize
	if size == 0 {
		size = math.MaxInt
	}
	return ShareWith(src, ShareConfig[T]{
		Connector:           func() *Subject[T] { return newReplay[T](size) },
		ResetOnError:        true,
		ResetOnRefCountZero: cfg.RefCount,
	})
}

type share[T any] struct {
	src Observable[T]
	cfg ShareConfig[T]

	mu   sync.Mutex
	conn *shareConn[T] // the current run, nil when none
}

// shareConn is one run of the source and the subscribers that share it.
type shareConn[T any] struct {
	subject *Subject[T]
	life    *lifetime
	refs    int
	ended   bool // src has completed or failed; guarded by share.mu
}

func (sh *share[T]) subscribe(s Subscriber[T]) {
	sh.mu.Lock()
	c := sh.conn
	start := c == nil
	if start {
		c = &shareConn[T]{subject: sh.cfg.Connector(), life: newRootLifetime(context.Background())}
		sh.conn = c
	}
	c.refs++
	sh.mu.Unlock()

	s.OnTeardown(func() { sh.leave(c) })
	c.subject.AsObservable().run(s)
	if start {
		sh.src.run(Subscriber[T]{life: c.life, dst: &gate[T]{life: c.life, obs: shareSource[T]{sh, c}}})
	}
}

// leave drops one reference; the last one stops the run.
func (sh *share[T]) leave(c *shareConn[T]) {
	sh.mu.Lock()
	c.refs--
	last := c.refs == 0 && !c.ended && sh.cfg.ResetOnRefCountZero
	if last && sh.conn == c {
		sh.conn = nil
	}
	sh.mu.Unlock()
	if last {
		c.life.unsubscribe()
	}
}

// shareSource passes the source's notifications to the subject; when the
// source ends, the run is forgotten so that the next subscriber starts anew.
type shareSource[T any] struct {
	sh *share[T]
	c  *shareConn[T]
}

func (o shareSource[T]) Next(v T) { o.c.subject.Next(v) }

func (o shareSource[T]) Error(err error) {
	o.end(o.sh.cfg.ResetOnError)
	o.c.subject.Error(err)
}

func (o shareSource[T]) Complete() {
	o.end(o.sh.cfg.ResetOnComplete)
	o.c.subject.Complete()
}

// end marks the run ended and, when reset, forgets it so that the next
// subscriber starts anew.
func (o shareSource[T]) end(reset bool) {
	o.sh.mu.Lock()
	o.c.ended = true
	if reset && o.sh.conn == o.c {
		o.sh.conn = nil
	}
	o.sh.mu.Unlock()
}
