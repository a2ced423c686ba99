package rx

import (
	"context"
	"sync"
	"sync/atomic"
)

// lifetime is the state shared by every stage of one subscription: whether it
// has stopped, the context its producers watch, and the teardowns to run once
// when it ends. Synchronous operators share their subscriber's lifetime;
// operators that subscribe to inner observables give each a child lifetime.
type lifetime struct {
	// Fields are ordered to keep an idle subscription's lifetime in a
	// 96-byte allocation.

	// stopped is set once no notification may reach the observer any more:
	// after Error or Complete was delivered, or after Unsubscribe.
	stopped  atomic.Bool
	tornDown bool // guarded by mu

	mu sync.Mutex
	// The first teardown is held inline: most lifetimes have one.
	teardown1 func()
	teardowns []func()
	children  map[*lifetime]struct{}
	parent    *lifetime
	// base is the caller's context (root only); children derive theirs
	// from the parent's.
	base context.Context
	// derived is made on first use (see context): most subscriptions never
	// ask for a context, and a cancellable one is a good part of an idle
	// subscription's memory.
	derived *derivedContext
	// stopWatch unregisters the watch on the caller's context (root only).
	stopWatch func() bool
}

type derivedContext struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// newRootLifetime starts the lifetime of a subscription made by a caller. It
// ends when ctx is cancelled; watching ctx costs no goroutine while ctx is a
// cancellable context from the standard library.
func newRootLifetime(ctx context.Context) *lifetime {
	l := &lifetime{base: ctx}
	if ctx.Done() != nil {
		l.stopWatch = context.AfterFunc(ctx, l.unsubscribe)
	}
	return l
}

// context returns the lifetime's context, cancelled when it ends.
func (l *lifetime) context() context.Context {
	l.mu.Lock()
	d := l.derived
	l.mu.Unlock()
	if d != nil {
		return d.ctx
	}
	base := l.base
	if l.parent != nil {
		base = l.parent.context()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.derived == nil {
		d := &derivedContext{}
		d.ctx, d.cancel = context.WithCancel(base)
		if l.tornDown {
			d.cancel()
		}
		l.derived = d
	}
	return l.derived.ctx
}

// child starts a lifetime that ends when l ends, or earlier on its own. It
// returns nil when l has already ended.
func (l *lifetime) child() *lifetime {
	c := &lifetime{parent: l}
	l.mu.Lock()
	if l.tornDown {
		l.mu.Unlock()
		return nil
	}
	if l.children == nil {
		l.children = make(map[*lifetime]struct{})
	}
	l.children[c] = struct{}{}
	l.mu.Unlock()
	return c
}

// stop marks the lifetime stopped and reports whether this call did it.
func (l *lifetime) stop() bool { return l.stopped.CompareAndSwap(false, true) }

// unsubscribe stops the lifetime without notifying the observer and tears it
// down.
func (l *lifetime) unsubscribe() {
	l.stop()
	l.teardown()
}

// onTeardown registers f to run when the lifetime ends; if it has ended
// already, f runs now.
func (l *lifetime) onTeardown(f func()) {
	l.mu.Lock()
	if l.tornDown {
		l.mu.Unlock()
		runTeardown(f)
		return
	}
	if l.teardown1 == nil {
		l.teardown1 = f
	} else {
		l.teardowns = append(l.teardowns, f)
	}
	l.mu.Unlock()
}

// teardown runs once: children first, then teardowns in reverse order of
// registration (as defer does), then the context is cancelled.
func (l *lifetime) teardown() {
	l.mu.Lock()
	if l.tornDown {
		l.mu.Unlock()
		return
	}
	l.tornDown = true
	l.stopped.Store(true)
	children, first, teardowns, derived := l.children, l.teardown1, l.teardowns, l.derived
	l.children, l.teardown1, l.teardowns = nil, nil, nil
	l.mu.Unlock()

	for c := range children {
		c.unsubscribe()
	}
	for i := len(teardowns) - 1; i >= 0; i-- {
		runTeardown(teardowns[i])
	}
	if first != nil {
		runTeardown(first)
	}
	if derived != nil {
		derived.cancel()
	}
	if l.stopWatch != nil {
		l.stopWatch()
	}
	if p := l.parent; p != nil {
		p.mu.Lock()
		delete(p.children, l)
		p.mu.Unlock()
	}
}

// runTeardown runs f, dropping a panic: the stream has ended and has nowhere
// to report it, and the remaining teardowns must still run.
func runTeardown(f func()) {
	defer func() { _ = recover() }()
	f()
}
