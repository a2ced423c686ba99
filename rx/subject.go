package rx

import (
	"context"
	"sync"
)

// Subject is a hot source: values passed to Next go to every observer
// subscribed at that moment. It is an Observer and can be subscribed to like
// an Observable. Next, Error, Complete and Subscribe may be called from many
// goroutines at once, and re-entrantly from inside an observer; each observer
// still sees one call at a time, in the order the calls were made, and no
// caller ever waits for another caller's delivery. The price: a call that
// finds another goroutine delivering queues its value for that goroutine and
// returns before the value has reached the observers.
//
// A panic in one observer's chain becomes an error on that observer's stream;
// the others keep receiving.
type Subject[T any] struct {
	mu       sync.Mutex
	emitting bool
	queue    []subjectOp[T]
	spare    []subjectOp[T]
	latest   T    // last value passed to Next (BehaviorSubject's Value)
	hasValue bool // latest is set

	// Touched only by the goroutine that holds the emitting role.
	observers []*subjectObserver[T]
	replay    []T // ring of the last replaySize values
	replayAt  int // index of the oldest value in replay once it is full
	done      bool
	err       error

	replaySize int
}

type subjectOpKind uint8

const (
	opNext subjectOpKind = iota
	opError
	opComplete
	opAdd
	opRemove
)

type subjectOp[T any] struct {
	kind  subjectOpKind
	value T
	err   error
	obs   *subjectObserver[T]
}

type subjectObserver[T any] struct {
	s Subscriber[T]
}

// NewSubject returns a Subject that gives a new observer only what is
// emitted after it subscribed.
func NewSubject[T any]() *Subject[T] { return &Subject[T]{} }

// NewBehaviorSubject returns a Subject that holds a current value, starting
// with initial: a new observer receives the current value first.
func NewBehaviorSubject[T any](initial T) *Subject[T] {
	s := &Subject[T]{replaySize: 1, replay: []T{initial}, latest: initial, hasValue: true}
	return s
}

// NewReplaySubject returns a Subject that replays up to size of the latest
// values to each new observer before the live ones. size must be positive.
func NewReplaySubject[T any](size int) *Subject[T] {
	if size <= 0 {
		panic("rx: NewReplaySubject: size must be positive")
	}
	return &Subject[T]{replaySize: size}
}

// newReplay is NewReplaySubject without the check, for ShareReplay's
// unbounded buffer (size math.MaxInt).
func newReplay[T any](size int) *Subject[T] { return &Subject[T]{replaySize: size} }

// Next emits v to every current observer. After Error or Complete it does
// nothing.
func (s *Subject[T]) Next(v T) {
	s.mu.Lock()
	s.latest, s.hasValue = v, true
	s.mu.Unlock()
	s.do(subjectOp[T]{kind: opNext, value: v})
}

// Error ends the subject with err: current and future observers get err.
func (s *Subject[T]) Error(err error) { s.do(subjectOp[T]{kind: opError, err: err}) }

// Complete ends the subject: current and future observers complete.
func (s *Subject[T]) Complete() { s.do(subjectOp[T]{kind: opComplete}) }

// Value returns the latest value passed to Next (for a BehaviorSubject, the
// initial value before any), and whether there is one.
func (s *Subject[T]) Value() (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest, s.hasValue
}

// Subscribe adds obs as an observer until ctx ends or the subscription is
// unsubscribed.
func (s *Subject[T]) Subscribe(ctx context.Context, obs Observer[T]) Subscription {
	return s.AsObservable().Subscribe(ctx, obs)
}

// AsObservable returns the subject as an Observable, for use with operators.
// Subscribing to it adds an observer to the subject.
func (s *Subject[T]) AsObservable() Observable[T] {
	return newObservable(func(sub Subscriber[T]) {
		o := &subjectObserver[T]{s: sub}
		s.do(subjectOp[T]{kind: opAdd, obs: o})
		sub.OnTeardown(func() { s.do(subjectOp[T]{kind: opRemove, obs: o}) })
	})
}

// do queues op, and runs the queue unless another goroutine is running it.
func (s *Subject[T]) do(op subjectOp[T]) {
	s.mu.Lock()
	if s.emitting {
		s.queue = append(s.queue, op)
		s.mu.Unlock()
		return
	}
	s.emitting = true
	s.mu.Unlock()

	s.apply(op)
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.emitting = false
			s.mu.Unlock()
			return
		}
		batch := s.queue
		s.queue, s.spare = s.spare[:0], nil
		s.mu.Unlock()
		for i := range batch {
			s.apply(batch[i])
			batch[i] = subjectOp[T]{}
		}
		s.mu.Lock()
		s.spare = batch[:0]
		s.mu.Unlock()
	}
}

// apply runs one operation; only the emitting goroutine calls it.
func (s *Subject[T]) apply(op subjectOp[T]) {
	switch op.kind {
	case opNext:
		if s.done {
			return
		}
		s.remember(op.value)
		for _, o := range s.observers {
			o.next(op.value)
		}
	case opError, opComplete:
		if s.done {
			return
		}
		s.done, s.err = true, op.err
		observers := s.observers
		s.observers = nil
		for _, o := range observers {
			o.end(op.err)
		}
	case opAdd:
		for _, v := range s.replayed() {
			o := op.obs
			o.next(v)
		}
		if s.done {
			op.obs.end(s.err)
			return
		}
		s.observers = append(s.observers, op.obs)
	case opRemove:
		for i, o := range s.observers {
			if o == op.obs {
				last := len(s.observers) - 1
				copy(s.observers[i:], s.observers[i+1:])
				s.observers[last] = nil
				s.observers = s.observers[:last]
				break
			}
		}
	}
}

func (s *Subject[T]) remember(v T) {
	if s.replaySize == 0 {
		return
	}
	if len(s.replay) < s.replaySize {
		s.replay = append(s.replay, v)
		return
	}
	s.replay[s.replayAt] = v
	s.replayAt = (s.replayAt + 1) % s.replaySize
}

// replayed returns the remembered values, oldest first.
func (s *Subject[T]) replayed() []T {
	if s.replayAt == 0 {
		return s.replay
	}
	out := make([]T, 0, len(s.replay))
	out = append(out, s.replay[s.replayAt:]...)
	return append(out, s.replay[:s.replayAt]...)
}

// next delivers v to one observer; a panic in its chain fails that chain only.
func (o *subjectObserver[T]) next(v T) {
	defer o.s.catch()
	o.s.dst.Next(v)
}

func (o *subjectObserver[T]) end(err error) {
	defer o.s.catch()
	if err != nil {
		o.s.dst.Error(err)
	} else {
		o.s.dst.Complete()
	}
}
