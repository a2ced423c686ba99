package rx

import "context"

// Observable is a cold recipe for a stream of values of type T: nothing runs
// until Subscribe, and every subscription runs its own copy of the recipe.
// The zero Observable is Empty.
type Observable[T any] struct {
	subscribe func(s Subscriber[T])
	// chain is set (and subscribe nil) when the Observable is a slice or a
	// run of fusable synchronous stages (see chain.go).
	chain *chain[T]
}

// newObservable wraps a subscribe function. Unlike Create it adds no
// serialization: the function must call its subscriber from one goroutine
// at a time.
func newObservable[T any](subscribe func(s Subscriber[T])) Observable[T] {
	return Observable[T]{subscribe: subscribe}
}

// Subscribe starts one run of the stream and delivers its notifications to
// obs. The run ends when the stream completes or fails, when ctx is
// cancelled, or when Unsubscribe is called; its teardowns then run once.
// Subscribe returns after synchronous sources have run to their end.
func (o Observable[T]) Subscribe(ctx context.Context, obs Observer[T]) Subscription {
	if obs == nil {
		panic("rx: Subscribe: nil observer")
	}
	l := newRootLifetime(ctx)
	o.run(Subscriber[T]{life: l, dst: &gate[T]{life: l, obs: obs}})
	return Subscription{life: l}
}

// run calls the recipe, turning a panic into an error on the stream.
func (o Observable[T]) run(s Subscriber[T]) {
	if s.life.stopped.Load() {
		return
	}
	defer s.catch()
	switch {
	case o.chain != nil:
		o.chain.subscribe(s)
	case o.subscribe == nil:
		s.dst.Complete()
	default:
		o.subscribe(s)
	}
}

// subscribeChild runs o in a lifetime that ends with parent or on its own,
// delivering to obs. It returns nil when parent has already ended.
func (o Observable[T]) subscribeChild(parent *lifetime, obs Observer[T]) *lifetime {
	c := parent.child()
	if c == nil {
		return nil
	}
	o.run(Subscriber[T]{life: c, dst: &gate[T]{life: c, obs: obs}})
	return c
}

// Subscription is the caller's handle on one run of an Observable.
type Subscription struct {
	life *lifetime
}

// Unsubscribe ends the run: no further notification is delivered and the
// teardowns run before Unsubscribe returns (unless they are already running
// on another goroutine). It is safe to call more than once.
func (s Subscription) Unsubscribe() {
	if s.life != nil {
		s.life.unsubscribe()
	}
}

// Done is closed when the run has ended and its teardowns have run.
func (s Subscription) Done() <-chan struct{} {
	if s.life == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return s.life.context().Done()
}

// Subscriber is a producer's side of one subscription: where it sends
// notifications, the context that says when to stop, and where it registers
// teardown. A producer must not call it from two goroutines at once, except
// through Create, which serializes.
type Subscriber[T any] struct {
	life *lifetime
	dst  Observer[T]
}

// Next delivers a value. A panic downstream becomes an error on the stream.
func (s Subscriber[T]) Next(v T) {
	defer s.catch()
	s.dst.Next(v)
}

// Error ends the stream with err.
func (s Subscriber[T]) Error(err error) {
	defer s.catch()
	s.dst.Error(err)
}

// Complete ends the stream successfully.
func (s Subscriber[T]) Complete() {
	defer s.catch()
	s.dst.Complete()
}

// Context is cancelled when the subscription ends for any reason. Producers
// that block select on its Done channel.
func (s Subscriber[T]) Context() context.Context { return s.life.context() }

// Closed reports whether the subscription has ended; a producer stops
// producing once it is true.
func (s Subscriber[T]) Closed() bool { return s.life.stopped.Load() }

// OnTeardown registers f to run once when the subscription ends (complete,
// error or unsubscribe). If it has already ended, f runs at once.
func (s Subscriber[T]) OnTeardown(f func()) {
	if f != nil {
		s.life.onTeardown(f)
	}
}

// upstream returns the subscriber an operator hands to its source: same
// lifetime as the operator's own subscriber s, delivering to the operator's
// observer obs.
func upstream[T, R any](s Subscriber[R], obs Observer[T]) Subscriber[T] {
	return Subscriber[T]{life: s.life, dst: obs}
}

// catch turns a panic into an error on the stream. It must be deferred
// directly.
func (s Subscriber[T]) catch() {
	if r := recover(); r != nil {
		if s.life.stopped.Load() {
			return
		}
		s.dst.Error(newPanicError(r))
	}
}

// gate ends every chain of operators: it enforces the Rx grammar for the
// caller's observer and ends the lifetime on Error or Complete.
type gate[T any] struct {
	life *lifetime
	obs  Observer[T]
}

func (g *gate[T]) Next(v T) {
	if !g.life.stopped.Load() {
		g.obs.Next(v)
	}
}

func (g *gate[T]) Error(err error) {
	if g.life.stop() {
		defer g.life.teardown()
		g.obs.Error(err)
	}
}

func (g *gate[T]) Complete() {
	if g.life.stop() {
		defer g.life.teardown()
		g.obs.Complete()
	}
}
