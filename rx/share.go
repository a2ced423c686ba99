package rx

import (
	"context"
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
	sh := &share[T]{src: src}
	return newObservable(sh.subscribe)
}

type share[T any] struct {
	src Observable[T]

	mu   sync.Mutex
	conn *shareConn[T] // the current run, nil when none
}

// shareConn is one run of the source and the subscribers that share it.
type shareConn[T any] struct {
	subject *Subject[T]
	life    *lifetime
	refs    int
}

func (sh *share[T]) subscribe(s Subscriber[T]) {
	sh.mu.Lock()
	c := sh.conn
	start := c == nil
	if start {
		c = &shareConn[T]{subject: NewSubject[T](), life: newRootLifetime(context.Background())}
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
	last := c.refs == 0
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
	o.forget()
	o.c.subject.Error(err)
}

func (o shareSource[T]) Complete() {
	o.forget()
	o.c.subject.Complete()
}

func (o shareSource[T]) forget() {
	o.sh.mu.Lock()
	if o.sh.conn == o.c {
		o.sh.conn = nil
	}
	o.sh.mu.Unlock()
}
