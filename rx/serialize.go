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
	s.mu.Lock()
	if s.emitting {
		s.queue = append(s.queue, n)
		s.mu.Unlock()
		return
	}
	s.emitting = true
	s.mu.Unlock()

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
