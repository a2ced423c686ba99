package rx

import (
	"sync"
	"sync/atomic"
)

// MergeMap calls project with each value of src and merges the values of
// the Observables it returns, running all of them at once. It completes when
// src and every inner Observable have completed, and fails with the first
// error from any of them.
func MergeMap[T, R any](src Observable[T], project func(T) Observable[R]) Observable[R] {
	if project == nil {
		panic("rx: MergeMap: nil project function")
	}
	return mergeMap(src, project, 0)
}

// MergeMapLimit is MergeMap running at most concurrent inner Observables at
// once: values of src that arrive while the limit is reached wait, in order,
// for an inner Observable to complete. concurrent must be positive.
func MergeMapLimit[T, R any](src Observable[T], project func(T) Observable[R], concurrent int) Observable[R] {
	if project == nil {
		panic("rx: MergeMapLimit: nil project function")
	}
	if concurrent <= 0 {
		panic("rx: MergeMapLimit: concurrency must be positive")
	}
	return mergeMap(src, project, concurrent)
}

// ConcatMap calls project with each value of src and emits the values of
// the Observables it returns one after the other: each inner Observable is
// subscribed when the previous one has completed.
func ConcatMap[T, R any](src Observable[T], project func(T) Observable[R]) Observable[R] {
	if project == nil {
		panic("rx: ConcatMap: nil project function")
	}
	return mergeMap(src, project, 1)
}

func mergeMap[T, R any](src Observable[T], project func(T) Observable[R], limit int) Observable[R] {
	return newObservable(func(s Subscriber[R]) {
		m := &mergeMapRun[T, R]{
			s:       Subscriber[R]{life: s.life, dst: &serializer[R]{dst: s.dst}},
			project: project,
			limit:   limit,
		}
		// src is a child so that its teardown runs when it completes,
		// while inner Observables go on.
		src.subscribeChild(s.life, Observer[T](m))
	})
}

type mergeMapRun[T, R any] struct {
	s       Subscriber[R]
	project func(T) Observable[R]
	limit   int // 0: unlimited

	mu        sync.Mutex
	waiting   []T // values of src not yet projected, oldest at head
	head      int
	active    int // inner Observables running
	srcDone   bool
	completed bool

	// wip counts calls to drain; only the caller that raised it from zero
	// loops, so synchronous inner Observables do not grow the stack.
	wip atomic.Int32
}

// Next, Error and Complete receive src's notifications.
func (m *mergeMapRun[T, R]) Next(v T) {
	m.mu.Lock()
	m.waiting = append(m.waiting, v)
	m.mu.Unlock()
	m.drain()
}

func (m *mergeMapRun[T, R]) Error(err error) { m.s.dst.Error(err) }

func (m *mergeMapRun[T, R]) Complete() {
	m.mu.Lock()
	m.srcDone = true
	m.mu.Unlock()
	m.drain()
}

// drain starts waiting inner Observables while the limit allows, and
// completes once everything is done.
func (m *mergeMapRun[T, R]) drain() {
	if m.wip.Add(1) != 1 {
		return
	}
	for {
		for {
			if m.s.Closed() {
				return
			}
			m.mu.Lock()
			if m.head < len(m.waiting) && (m.limit == 0 || m.active < m.limit) {
				v := m.waiting[m.head]
				var zero T
				m.waiting[m.head] = zero
				m.head++
				if m.head == len(m.waiting) {
					m.waiting, m.head = m.waiting[:0], 0
				}
				m.active++
				m.mu.Unlock()
				m.subscribeInner(v)
				continue
			}
			finished := m.srcDone && m.active == 0 && m.head == len(m.waiting) && !m.completed
			if finished {
				m.completed = true
			}
			m.mu.Unlock()
			if finished {
				m.s.dst.Complete()
				return
			}
			break
		}
		if m.wip.Add(-1) == 0 {
			return
		}
	}
}

func (m *mergeMapRun[T, R]) subscribeInner(v T) {
	inner, err := apply(m.project, v)
	if err != nil {
		m.s.dst.Error(err)
		return
	}
	inner.subscribeChild(m.s.life, Observer[R](mergeMapInner[T, R]{m}))
}

type mergeMapInner[T, R any] struct{ m *mergeMapRun[T, R] }

func (o mergeMapInner[T, R]) Next(v R)        { o.m.s.dst.Next(v) }
func (o mergeMapInner[T, R]) Error(err error) { o.m.s.dst.Error(err) }
func (o mergeMapInner[T, R]) Complete() {
	o.m.mu.Lock()
	o.m.active--
	o.m.mu.Unlock()
	o.m.drain()
}

// SwitchMap calls project with each value of src and emits the values of
// the Observable it returns until src emits again: then it unsubscribes
// from that inner Observable and switches to the new one. It completes when
// src and the current inner Observable have completed.
func SwitchMap[T, R any](src Observable[T], project func(T) Observable[R]) Observable[R] {
	if project == nil {
		panic("rx: SwitchMap: nil project function")
	}
	return newObservable(func(s Subscriber[R]) {
		m := &switchMapRun[T, R]{
			s:       Subscriber[R]{life: s.life, dst: &serializer[R]{dst: s.dst}},
			project: project,
		}
		src.subscribeChild(s.life, Observer[T](m))
	})
}

type switchMapRun[T, R any] struct {
	s       Subscriber[R]
	project func(T) Observable[R]

	mu        sync.Mutex
	inner     *lifetime // the current inner subscription, nil when none runs
	seq       uint64    // identifies the current inner subscription
	srcDone   bool
	completed bool
}

func (m *switchMapRun[T, R]) Next(v T) {
	inner := m.project(v) // src's goroutine: a panic fails the stream
	c := m.s.life.child()
	if c == nil {
		return
	}
	m.mu.Lock()
	prev := m.inner
	m.seq++
	id := m.seq
	m.inner = c
	m.mu.Unlock()
	if prev != nil {
		prev.unsubscribe()
	}
	inner.run(Subscriber[R]{life: c, dst: &gate[R]{life: c, obs: switchMapInner[T, R]{m: m, id: id}}})
}

func (m *switchMapRun[T, R]) Error(err error) { m.s.dst.Error(err) }

func (m *switchMapRun[T, R]) Complete() {
	m.mu.Lock()
	m.srcDone = true
	m.mu.Unlock()
	m.completeIfDone()
}

func (m *switchMapRun[T, R]) completeIfDone() {
	m.mu.Lock()
	finished := m.srcDone && m.inner == nil && !m.completed
	if finished {
		m.completed = true
	}
	m.mu.Unlock()
	if finished {
		m.s.dst.Complete()
	}
}

type switchMapInner[T, R any] struct {
	m  *switchMapRun[T, R]
	id uint64
}

func (o switchMapInner[T, R]) current() bool {
	o.m.mu.Lock()
	defer o.m.mu.Unlock()
	return o.m.seq == o.id
}

func (o switchMapInner[T, R]) Next(v R) {
	// A value racing with the switch on another goroutine is dropped.
	if o.current() {
		o.m.s.dst.Next(v)
	}
}

func (o switchMapInner[T, R]) Error(err error) {
	if o.current() {
		o.m.s.dst.Error(err)
	}
}

func (o switchMapInner[T, R]) Complete() {
	o.m.mu.Lock()
	if o.m.seq == o.id {
		o.m.inner = nil
	}
	o.m.mu.Unlock()
	o.m.completeIfDone()
}
