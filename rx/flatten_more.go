package rx

import "sync"

// ExhaustMap calls project with a value of src and emits the values of the
// Observable it returns; values of src that come while that inner
// Observable runs are ignored, as RxJS's exhaustMap. It completes when src
// and the running inner Observable have completed.
func ExhaustMap[T, R any](src Observable[T], project func(T) Observable[R]) Observable[R] {
	if project == nil {
		panic("rx: ExhaustMap: nil project function")
	}
	return newObservable(func(s Subscriber[R]) {
		m := &exhaustMapRun[T, R]{
			s:       Subscriber[R]{life: s.life, dst: &serializer[R]{dst: s.dst}},
			project: project,
		}
		src.subscribeChild(s.life, Observer[T](m))
	})
}

type exhaustMapRun[T, R any] struct {
	s       Subscriber[R]
	project func(T) Observable[R]

	mu        sync.Mutex
	active    bool
	srcDone   bool
	completed bool
}

func (m *exhaustMapRun[T, R]) Next(v T) {
	m.mu.Lock()
	if m.active {
		m.mu.Unlock()
		return
	}
	m.active = true
	m.mu.Unlock()
	inner, err := apply(m.project, v)
	if err != nil {
		m.s.dst.Error(err)
		return
	}
	inner.subscribeChild(m.s.life, Observer[R](exhaustInner[T, R]{m}))
}

func (m *exhaustMapRun[T, R]) Error(err error) { m.s.dst.Error(err) }

func (m *exhaustMapRun[T, R]) Complete() {
	m.mu.Lock()
	m.srcDone = true
	m.mu.Unlock()
	m.completeIfDone()
}

func (m *exhaustMapRun[T, R]) completeIfDone() {
	m.mu.Lock()
	finished := m.srcDone && !m.active && !m.completed
	if finished {
		m.completed = true
	}
	m.mu.Unlock()
	if finished {
		m.s.dst.Complete()
	}
}

type exhaustInner[T, R any] struct{ m *exhaustMapRun[T, R] }

func (o exhaustInner[T, R]) Next(v R)        { o.m.s.dst.Next(v) }
func (o exhaustInner[T, R]) Error(err error) { o.m.s.dst.Error(err) }
func (o exhaustInner[T, R]) Complete() {
	o.m.mu.Lock()
	o.m.active = false
	o.m.mu.Unlock()
	o.m.completeIfDone()
}

// MergeAll merges the Observables src emits, running all at once, as
// RxJS's mergeAll.
func MergeAll[T any](src Observable[Observable[T]]) Observable[T] {
	return MergeMap(src, identity[Observable[T]])
}

// ConcatAll emits the values of the Observables src emits one after the
// other, as RxJS's concatAll.
func ConcatAll[T any](src Observable[Observable[T]]) Observable[T] {
	return ConcatMap(src, identity[Observable[T]])
}

// SwitchAll emits the values of the latest Observable src emitted, as
// RxJS's switchAll.
func SwitchAll[T any](src Observable[Observable[T]]) Observable[T] {
	return SwitchMap(src, identity[Observable[T]])
}

// ExhaustAll emits the values of an Observable src emitted, ignoring those
// that come while it runs, as RxJS's exhaustAll.
func ExhaustAll[T any](src Observable[Observable[T]]) Observable[T] {
	return ExhaustMap(src, identity[Observable[T]])
}

func identity[T any](v T) T { return v }

// MergeScan is Scan whose accumulator returns an Observable: for each value
// v of src it subscribes to acc(state, v), where state is the latest value
// emitted (seed at first), and emits that Observable's values, each of
// which becomes the state, as RxJS's mergeScan. The inner Observables run
// at once, as in MergeMap.
func MergeScan[T, R any](src Observable[T], acc func(R, T) Observable[R], seed R) Observable[R] {
	if acc == nil {
		panic("rx: MergeScan: nil accumulator")
	}
	return scanInner(src, acc, seed, MergeMap[T, R])
}

// SwitchScan is MergeScan that switches, as SwitchMap does: a new value of
// src unsubscribes from the previous inner Observable, as RxJS's
// switchScan.
func SwitchScan[T, R any](src Observable[T], acc func(R, T) Observable[R], seed R) Observable[R] {
	if acc == nil {
		panic("rx: SwitchScan: nil accumulator")
	}
	return scanInner(src, acc, seed, SwitchMap[T, R])
}

func scanInner[T, R any](src Observable[T], acc func(R, T) Observable[R], seed R,
	flatten func(Observable[T], func(T) Observable[R]) Observable[R]) Observable[R] {
	return Defer(func() Observable[R] {
		var mu sync.Mutex
		state := seed
		return flatten(src, func(v T) Observable[R] {
			mu.Lock()
			cur := state
			mu.Unlock()
			return Map(acc(cur, v), func(r R) R {
				mu.Lock()
				state = r
				mu.Unlock()
				return r
			})
		})
	})
}

// Expand emits each value of src and, for each value emitted, subscribes to
// project(value) and does the same with its values, recursively, as RxJS's
// expand. Return Empty from project to stop a branch.
func Expand[T any](src Observable[T], project func(T) Observable[T]) Observable[T] {
	if project == nil {
		panic("rx: Expand: nil project function")
	}
	var expand func(v T) Observable[T]
	expand = func(v T) Observable[T] {
		return Concat(Of(v), MergeMap(Defer(func() Observable[T] { return project(v) }), expand))
	}
	return MergeMap(src, expand)
}
