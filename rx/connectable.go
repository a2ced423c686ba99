package rx

import (
	"context"
	"sync"
)

// Connectable is a hot Observable that starts its source only when Connect
// is called, as RxJS's connectable: subscribers join the subject that the
// source feeds, before or after the connection.
type Connectable[T any] struct {
	src  Observable[T]
	cfg  ConnectableConfig[T]
	mu   sync.Mutex
	subj *Subject[T]
	conn *Subscription
}

// ConnectableConfig configures NewConnectable, as RxJS's
// ConnectableConfig.
type ConnectableConfig[T any] struct {
	// Connector makes the subject; nil means NewSubject.
	Connector func() *Subject[T]
	// ResetOnDisconnect makes a new subject when the connection is
	// unsubscribed, so that a later Connect starts afresh (RxJS's default
	// is true; here it is opt-in, as Go's zero value).
	ResetOnDisconnect bool
}

// NewConnectable returns src as a Connectable: RxJS's connectable(src,
// config).
func NewConnectable[T any](src Observable[T], cfg ConnectableConfig[T]) *Connectable[T] {
	if cfg.Connector == nil {
		cfg.Connector = NewSubject[T]
	}
	return &Connectable[T]{src: src, cfg: cfg, subj: cfg.Connector()}
}

// AsObservable returns the Observable subscribers use: subscribing joins
// the current subject.
func (c *Connectable[T]) AsObservable() Observable[T] {
	return newObservable(func(s Subscriber[T]) {
		c.mu.Lock()
		subj := c.subj
		c.mu.Unlock()
		subj.AsObservable().run(s)
	})
}

// Connect subscribes the subject to the source, once: while a connection
// is running, Connect returns it. The connection ends when the source
// ends, when ctx is cancelled, or on Unsubscribe.
func (c *Connectable[T]) Connect(ctx context.Context) Subscription {
	c.mu.Lock()
	if c.conn != nil {
		conn := *c.conn
		c.mu.Unlock()
		return conn
	}
	subj := c.subj
	holder := new(Subscription)
	c.conn = holder
	c.mu.Unlock()

	sub := Finalize(c.src, func() { c.disconnected(holder) }).Subscribe(ctx, Observer[T](subj))
	c.mu.Lock()
	*holder = sub
	c.mu.Unlock()
	return sub
}

func (c *Connectable[T]) disconnected(holder *Subscription) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == holder {
		c.conn = nil
		if c.cfg.ResetOnDisconnect {
			c.subj = c.cfg.Connector()
		}
	}
}

// Connect multicasts src within one subscription, as RxJS's connect: it
// calls selector with an Observable that shares one run of src, subscribes
// to what selector returns, then starts src. Every use of the shared
// Observable inside selector sees the same values.
func Connect[T, R any](src Observable[T], selector func(shared Observable[T]) Observable[R]) Observable[R] {
	if selector == nil {
		panic("rx: Connect: nil selector")
	}
	return newObservable(func(s Subscriber[R]) {
		subj := NewSubject[T]()
		out, err := apply(selector, subj.AsObservable())
		if err != nil {
			s.dst.Error(err)
			return
		}
		out.run(s)
		if s.Closed() {
			return
		}
		src.subscribeChild(s.life, Observer[T](subj))
	})
}
