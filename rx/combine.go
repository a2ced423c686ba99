package rx

import "sync/atomic"

// StartWith emits values first, then the values of src.
func StartWith[T any](src Observable[T], values ...T) Observable[T] {
	if len(values) == 0 {
		return src
	}
	return newObservable(func(s Subscriber[T]) {
		for _, v := range values {
			if s.Closed() {
				return
			}
			s.dst.Next(v)
		}
		src.run(s)
	})
}

// Concat emits all the values of the first source, then when it completes
// subscribes to the next, and so on; it completes after the last one. An
// error from any source ends the stream. With no sources it completes at
// once.
func Concat[T any](srcs ...Observable[T]) Observable[T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[T]) {
		(&concatRun[T]{s: s, srcs: srcs}).subscribeNext()
	})
}

type concatRun[T any] struct {
	s    Subscriber[T]
	srcs []Observable[T]
	i    int
	// wip counts requests to subscribe to the next source; only the caller
	// that raised it from zero loops, so synchronous sources that complete
	// during Subscribe do not grow the stack.
	wip atomic.Int32
}

func (c *concatRun[T]) subscribeNext() {
	if c.wip.Add(1) != 1 {
		return
	}
	for {
		if c.s.Closed() {
			return
		}
		if c.i == len(c.srcs) {
			c.s.dst.Complete()
			return
		}
		src := c.srcs[c.i]
		c.i++
		src.subscribeChild(c.s.life, Observer[T](concatInner[T]{c}))
		if c.wip.Add(-1) == 0 {
			return
		}
	}
}

type concatInner[T any] struct{ c *concatRun[T] }

func (o concatInner[T]) Next(v T)        { o.c.s.dst.Next(v) }
func (o concatInner[T]) Error(err error) { o.c.s.dst.Error(err) }
func (o concatInner[T]) Complete()       { o.c.subscribeNext() }

// Merge subscribes to every source when it is subscribed and emits their
// values as they come; it completes when all have completed, and fails with
// the first error. With no sources it completes at once.
func Merge[T any](srcs ...Observable[T]) Observable[T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[T]) {
		if len(srcs) == 0 {
			s.dst.Complete()
			return
		}
		m := &mergeRun[T]{dst: &serializer[T]{dst: s.dst}}
		m.active.Store(int32(len(srcs)))
		for _, src := range srcs {
			if s.Closed() {
				return
			}
			src.subscribeChild(s.life, Observer[T](m))
		}
	})
}

type mergeRun[T any] struct {
	dst    *serializer[T]
	active atomic.Int32
}

func (m *mergeRun[T]) Next(v T)        { m.dst.Next(v) }
func (m *mergeRun[T]) Error(err error) { m.dst.Error(err) }
func (m *mergeRun[T]) Complete() {
	if m.active.Add(-1) == 0 {
		m.dst.Complete()
	}
}

// MergeWith merges src with others, as RxJS's mergeWith: Merge(src,
// others...).
func MergeWith[T any](src Observable[T], others ...Observable[T]) Observable[T] {
	return Merge(append([]Observable[T]{src}, others...)...)
}

// ConcatWith emits the values of src, then those of each of others in turn,
// as RxJS's concatWith: Concat(src, others...).
func ConcatWith[T any](src Observable[T], others ...Observable[T]) Observable[T] {
	return Concat(append([]Observable[T]{src}, others...)...)
}
