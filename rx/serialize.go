package rx

import "sync"

// serializer lets many goroutines (and re-entrant calls) notify one observer
// without ever calling it concurrently: whoever finds it idle delivers, and
// drains what others queued meanwhile. No caller ever waits for another
// caller's delivery.
type serializer[T any] struct {
	dst Observer[T]

	mu       sync.Mutex
	emitting bool
	queue    []notification[T]
	spare    []notification[T]
}

type notificationKind uint8

const (
	kindNext notificationKind = iota
	kindError
	kindComplete
)

type notification[T any] struct {
	kind  notificationKind
	value T
	err   error
}

func (s *serializer[T]) Next(v T)        { s.emit(notification[T]{kind: kindNext, value: v}) }
func (s *serializer[T]) Error(err error) { s.emit(notification[T]{kind: kindError, err: err}) }
func (s *serializer[T]) Complete()       { s.emit(notification[T]{kind: kindComplete}) }

func (s *serializer[T]) emit(n notification[T]) {
	if s.claim(n) {
		s.emitClaimed(n)
	}
}

// claim queues n behind the notifications being delivered, or, when none
// is, makes the caller the emitter: it returns true and the caller must
// then call emitClaimed(n). Operators claim while holding their own lock
// and deliver after releasing it, so notifications reach the observer in
// the order of that lock without calling the observer under it.
func (s *serializer[T]) claim(n notification[T]) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.emitting {
		s.queue = append(s.queue, n)
		return false
	}
	s.emitting = true
	return true
}

// emitClaimed delivers n, then what others queued meanwhile.
func (s *serializer[T]) emitClaimed(n notification[T]) {
	// A panic downstream must not leave the serializer stuck in emitting:
	// the error that the panic turns into has to get through.
	delivered := false
	defer func() {
		if !delivered {
			s.mu.Lock()
			s.emitting = false
			s.queue = s.queue[:0]
			s.mu.Unlock()
		}
	}()
	s.deliver(n)
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.emitting = false
			s.mu.Unlock()
			delivered = true
			return
		}
		batch := s.queue
		s.queue, s.spare = s.spare[:0], nil
		s.mu.Unlock()
		for i := range batch {
			s.deliver(batch[i])
			batch[i] = notification[T]{}
		}
		s.mu.Lock()
		s.spare = batch[:0]
		s.mu.Unlock()
	}
}

// claimed holds up to two claimed notifications for delivery after an
// operator releases its lock; at most one of them can be the caller's to
// deliver.
type claimed[T any] struct {
	s  *serializer[T]
	n  notification[T]
	ok bool
}

// claimAll claims ns in order and returns the one the caller must deliver.
func (s *serializer[T]) claimAll(ns ...notification[T]) claimed[T] {
	c := claimed[T]{s: s}
	for _, n := range ns {
		if s.claim(n) {
			c.n, c.ok = n, true
		}
	}
	return c
}

// deliver delivers the claimed notification, if the caller has one.
func (c claimed[T]) deliver() {
	if c.ok {
		c.s.emitClaimed(c.n)
	}
}

func (s *serializer[T]) deliver(n notification[T]) {
	switch n.kind {
	case kindNext:
		s.dst.Next(n.value)
	case kindError:
		s.dst.Error(n.err)
	case kindComplete:
		s.dst.Complete()
	}
}
