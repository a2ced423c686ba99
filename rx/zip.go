package rx

import "sync"

// Zip subscribes to every source in order and emits a slice of their n-th
// values once each has emitted its n-th, as RxJS's zip: values wait in a
// queue per source. It completes when a source has completed and its queue
// is empty (no further slice can be made), unsubscribing from the others,
// and fails with the first error. With no sources it completes at once.
func Zip[T any](srcs ...Observable[T]) Observable[[]T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[[]T]) {
		if len(srcs) == 0 {
			s.dst.Complete()
			return
		}
		z := &zipRun[T]{ser: &serializer[[]T]{dst: s.dst}, queues: make([][]T, len(srcs)), done: make([]bool, len(srcs))}
		for i, src := range srcs {
			if s.Closed() {
				return
			}
			src.subscribeChild(s.life, Observer[T](zipInput[T]{z, i}))
		}
	})
}

// ZipWith is Zip of src and others, as RxJS's zipWith.
func ZipWith[T any](src Observable[T], others ...Observable[T]) Observable[[]T] {
	return Zip(append([]Observable[T]{src}, others...)...)
}

// Zip2 is Zip of two sources of different types, emitting project(a, b)
// for each pair.
func Zip2[A, B, R any](a Observable[A], b Observable[B], project func(A, B) R) Observable[R] {
	if project == nil {
		panic("rx: Zip2: nil project function")
	}
	return Map(Zip(boxed(a), boxed(b)), func(vs []any) R { return project(unbox[A](vs[0]), unbox[B](vs[1])) })
}

// Zip3 is Zip2 for three sources.
func Zip3[A, B, C, R any](a Observable[A], b Observable[B], c Observable[C], project func(A, B, C) R) Observable[R] {
	if project == nil {
		panic("rx: Zip3: nil project function")
	}
	return Map(Zip(boxed(a), boxed(b), boxed(c)), func(vs []any) R {
		return project(unbox[A](vs[0]), unbox[B](vs[1]), unbox[C](vs[2]))
	})
}

// ZipAll waits for src to complete, then zips every Observable it emitted,
// as RxJS's zipAll.
func ZipAll[T any](src Observable[Observable[T]]) Observable[[]T] {
	return ConcatMap(ToArray(src), func(srcs []Observable[T]) Observable[[]T] { return Zip(srcs...) })
}

func boxed[T any](o Observable[T]) Observable[any] { return Map(o, func(v T) any { return v }) }

// unbox returns x as a T; a nil x (a nil interface value boxed) is T's zero.
func unbox[T any](x any) T {
	v, _ := x.(T)
	return v
}

type zipRun[T any] struct {
	ser *serializer[[]T]

	mu     sync.Mutex
	queues [][]T
	done   []bool
	ended  bool
}

type zipInput[T any] struct {
	z *zipRun[T]
	i int
}

func (o zipInput[T]) Next(v T) {
	z := o.z
	z.mu.Lock()
	if z.ended {
		z.mu.Unlock()
		return
	}
	z.queues[o.i] = append(z.queues[o.i], v)
	ready := true
	for _, q := range z.queues {
		if len(q) == 0 {
			ready = false
			break
		}
	}
	if !ready {
		z.mu.Unlock()
		return
	}
	out := make([]T, len(z.queues))
	finished := false
	for i, q := range z.queues {
		out[i] = q[0]
		var zero T
		q[0] = zero
		z.queues[i] = q[1:]
		if len(z.queues[i]) == 0 {
			z.queues[i] = q[:0]
			finished = finished || z.done[i]
		}
	}
	var cl claimed[[]T]
	if finished {
		z.ended = true
		cl = z.ser.claimAll(notification[[]T]{kind: kindNext, value: out}, notification[[]T]{kind: kindComplete})
	} else {
		cl = z.ser.claimAll(notification[[]T]{kind: kindNext, value: out})
	}
	z.mu.Unlock()
	cl.deliver()
}

func (o zipInput[T]) Error(err error) { o.z.end(o.i, notification[[]T]{kind: kindError, err: err}) }
func (o zipInput[T]) Complete()       { o.z.end(o.i, notification[[]T]{kind: kindComplete}) }

func (z *zipRun[T]) end(i int, n notification[[]T]) {
	z.mu.Lock()
	var cl claimed[[]T]
	z.done[i] = true
	if !z.ended && (n.kind == kindError || len(z.queues[i]) == 0) {
		z.ended = true
		cl = z.ser.claimAll(n)
	}
	z.mu.Unlock()
	cl.deliver()
}

// ForkJoin subscribes to every source and, when all have completed, emits
// a slice of the last value of each, then completes, as RxJS's forkJoin.
// When a source completes without a value, it completes at once without
// emitting; an error fails it at once. With no sources it completes at
// once.
func ForkJoin[T any](srcs ...Observable[T]) Observable[[]T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[[]T]) {
		f := &forkJoinRun[T]{ser: &serializer[[]T]{dst: s.dst}, last: make([]T, len(srcs)), has: make([]bool, len(srcs)), active: len(srcs) + 1}
		for i, src := range srcs {
			if s.Closed() {
				return
			}
			src.subscribeChild(s.life, Observer[T](forkJoinInput[T]{f, i}))
		}
		f.complete(-1)
	})
}

// ForkJoin2 is ForkJoin of two sources of different types, emitting
// project(last a, last b).
func ForkJoin2[A, B, R any](a Observable[A], b Observable[B], project func(A, B) R) Observable[R] {
	if project == nil {
		panic("rx: ForkJoin2: nil project function")
	}
	return Map(ForkJoin(boxed(a), boxed(b)), func(vs []any) R { return project(unbox[A](vs[0]), unbox[B](vs[1])) })
}

// ForkJoin3 is ForkJoin2 for three sources.
func ForkJoin3[A, B, C, R any](a Observable[A], b Observable[B], c Observable[C], project func(A, B, C) R) Observable[R] {
	if project == nil {
		panic("rx: ForkJoin3: nil project function")
	}
	return Map(ForkJoin(boxed(a), boxed(b), boxed(c)), func(vs []any) R {
		return project(unbox[A](vs[0]), unbox[B](vs[1]), unbox[C](vs[2]))
	})
}

type forkJoinRun[T any] struct {
	ser *serializer[[]T]

	mu     sync.Mutex
	last   []T
	has    []bool
	active int // inputs not completed, + the subscribing loop
	ended  bool
}

type forkJoinInput[T any] struct {
	f *forkJoinRun[T]
	i int
}

func (o forkJoinInput[T]) Next(v T) {
	o.f.mu.Lock()
	o.f.last[o.i], o.f.has[o.i] = v, true
	o.f.mu.Unlock()
}

func (o forkJoinInput[T]) Error(err error) {
	o.f.mu.Lock()
	var cl claimed[[]T]
	if !o.f.ended {
		o.f.ended = true
		cl = o.f.ser.claimAll(notification[[]T]{kind: kindError, err: err})
	}
	o.f.mu.Unlock()
	cl.deliver()
}

func (o forkJoinInput[T]) Complete() { o.f.complete(o.i) }

// complete counts the completion of input i (-1: the subscribing loop).
func (f *forkJoinRun[T]) complete(i int) {
	f.mu.Lock()
	var cl claimed[[]T]
	f.active--
	switch {
	case f.ended:
	case i >= 0 && !f.has[i]:
		f.ended = true
		cl = f.ser.claimAll(notification[[]T]{kind: kindComplete})
	case f.active == 0:
		f.ended = true
		if len(f.last) == 0 {
			cl = f.ser.claimAll(notification[[]T]{kind: kindComplete})
		} else {
			cl = f.ser.claimAll(notification[[]T]{kind: kindNext, value: append([]T(nil), f.last...)}, notification[[]T]{kind: kindComplete})
		}
	}
	f.mu.Unlock()
	cl.deliver()
}
