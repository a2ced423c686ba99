package sse

import (
	"fmt"
	"time"
)

// observer receives one stream's notifications (from any goroutine, one at a
// time) and queues them for the stream's writer.
type observer[T any] struct {
	s *stream
	// event returns v as a MessageEvent when T is one, or an Eventer; else
	// encode appends v's event to the queue's buffer.
	event  func(v T) MessageEvent
	encode func(dst []byte, v T, next *uint64) ([]byte, error)
	// shared, when set, returns v's shared encoding at once (nil: none).
	shared func(v T) *Encoded
}

// newObserver chooses, once per stream, how values of type T are queued, so
// that events of a known type are not boxed.
func newObserver[T any](s *stream) *observer[T] {
	o := &observer[T]{s: s}
	var zero T
	switch f := any(&o.event).(type) {
	case *func(MessageEvent) MessageEvent:
		*f = func(ev MessageEvent) MessageEvent { return ev }
	case *func(*MessageEvent) MessageEvent:
		*f = func(ev *MessageEvent) MessageEvent {
			if ev == nil {
				return MessageEvent{}
			}
			return *ev
		}
	case *func(*Encoded) MessageEvent:
		*f = (*Encoded).Event
		o.shared = func(v T) *Encoded { return any(v).(*Encoded) }
	default:
		if _, ok := any(zero).(SharedEventer); ok {
			o.shared = func(v T) *Encoded { return any(v).(SharedEventer).SharedEvent() }
		}
		if _, ok := any(zero).(Eventer); ok {
			o.event = func(v T) MessageEvent { return any(v).(Eventer).Event() }
		}
	}
	if o.event == nil {
		switch f := any(&o.encode).(type) {
		case *func([]byte, string, *uint64) ([]byte, error):
			*f = func(dst []byte, v string, next *uint64) ([]byte, error) {
				return appendStringEvent(dst, v, next), nil
			}
		default:
			o.encode = func(dst []byte, v T, next *uint64) ([]byte, error) {
				return appendValue(dst, any(v), next)
			}
		}
	}
	return o
}

func (o *observer[T]) Next(v T) {
	s := o.s
	var ev MessageEvent
	var shared *Encoded
	if o.shared != nil {
		shared = o.shared(v)
	}
	if shared == nil && o.event != nil {
		ev = o.event(v)
		shared = sharedOf(&ev)
	}
	s.mu.Lock()
	if s.ended() {
		s.mu.Unlock()
		return
	}
	start, firstDrop := false, false
	if s.q.full(s.cfg.queueSize, s.cfg.queueBytes) {
		var ok bool
		if ok, firstDrop, start = s.makeRoom(); !ok {
			s.mu.Unlock()
			if start {
				go s.drain()
			}
			return
		}
	}
	var err error
	switch {
	case shared != nil:
		id := uint64(0)
		if shared.takesID() {
			id = s.nextID
			s.nextID++
		}
		if !s.dropNew {
			s.q.pushRef(shared, id)
		}
	case o.event != nil:
		err = s.queueEncoded(func(dst []byte) ([]byte, error) { return appendEvent(dst, &ev, &s.nextID) })
	default:
		err = s.queueEncoded(func(dst []byte) ([]byte, error) { return o.encode(dst, v, &s.nextID) })
	}
	if err != nil {
		start = s.endLocked(fmt.Errorf("sse: encoding event: %w", err))
	} else {
		s.emitted = true
		if s.dropNew {
			s.dropNew = false
		} else if s.q.len() == 1 && !s.inline {
			// The first event queued since the writer took the queue: later
			// ones find it notified already.
			start = s.notifyLocked()
		}
	}
	s.mu.Unlock()
	if start {
		go s.drain()
	}
	if firstDrop {
		s.cfg.logger.WarnContext(s.ctx, "sse: slow client: dropping events",
			"policy", s.cfg.slowClient.String(), "queue", s.cfg.queueSize, "path", s.path)
	}
}

// queueEncoded appends an event with encode to the queue's buffer, and
// queues it unless the DropNewest policy discards it (it was encoded only to
// take its id). The caller holds mu.
func (s *stream) queueEncoded(encode func(dst []byte) ([]byte, error)) error {
	at := len(s.q.buf)
	buf, err := encode(s.q.buf)
	if err != nil {
		s.q.buf = buf[:at]
		return err
	}
	s.q.buf = buf
	if s.dropNew {
		s.q.buf = s.q.buf[:at]
		return nil
	}
	s.q.pushBytes(at)
	return nil
}

func (o *observer[T]) Error(err error) {
	if err == nil {
		err = errNilError
	}
	o.s.end(err)
}

func (o *observer[T]) Complete() { o.s.end(nil) }

// endLocked records the end of the stream with err; the caller holds mu and
// starts a writer (go s.drain()) when it reports true.
func (s *stream) endLocked(err error) (startWriter bool) {
	if s.ended() {
		return false
	}
	s.done, s.err = true, err
	if s.inline {
		return false
	}
	return s.notifyLocked()
}

// makeRoom applies the slow client policy to a full queue. It reports
// whether the new event may be queued, whether this is the stream's first
// drop (to be logged, outside mu), and whether a writer must be started.
func (s *stream) makeRoom() (ok, firstDrop, startWriter bool) {
	if s.inline && !s.inlineWriting {
		// Subscribe is still running, on the handler's goroutine, which
		// holds the writer role: write the queue in place. This paces a
		// synchronous source by its client, as a loop of writes would.
		// (Another producer that fills the queue meanwhile meets the
		// policy.)
		if err := s.writeInline(); err != nil {
			s.failed = true
		}
		return !s.ended(), false, false
	}
	switch s.cfg.slowClient {
	case DropNewest:
		s.dropNew = true
		s.hooks.Dropped(DropNewest, 1)
	case DropOldest:
		n := 0
		for s.q.len() > 0 && s.q.full(s.cfg.queueSize, s.cfg.queueBytes) {
			s.q.dropOldest()
			n++
		}
		s.hooks.Dropped(DropOldest, n)
	default:
		// Disconnect: a write in progress is aborted at once rather than
		// left to its timeout.
		s.hooks.Dropped(Disconnect, s.q.len())
		s.overflow = true
		s.deadline = time.Now()
		s.t.setWriteDeadline(s.deadline)
		return false, false, s.notifyLocked()
	}
	s.dropped++
	return true, s.dropped == 1, false
}

// writeInline writes the headers and the queue from inside Subscribe (see
// makeRoom). The caller holds mu, which writeInline releases while it
// writes (so that the stream can be cut meanwhile), and, through the
// handler, the writer role.
func (s *stream) writeInline() error {
	first := !s.headersSent
	s.headersSent, s.inlineWriting = true, true
	done := make(chan struct{})
	s.inlineDone = done
	s.q.take(&s.b)
	s.armLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inlineWriting = false
		close(done)
	}()
	if first {
		if err := s.writeHeaders(); err != nil {
			return err
		}
	}
	events := len(s.b.items)
	n, err := s.writeBatch(false, nil, 0, s.extend)
	s.b.clear()
	if err == nil {
		s.hooks.Wrote(events, n)
	}
	return err
}

// appendValue encodes a value whose type is known only at run time.
func appendValue(dst []byte, v any, next *uint64) ([]byte, error) {
	switch v := v.(type) {
	case MessageEvent:
		return appendEvent(dst, &v, next)
	case *MessageEvent:
		if v == nil {
			v = &MessageEvent{}
		}
		return appendEvent(dst, v, next)
	case Eventer:
		ev := v.Event()
		return appendEvent(dst, &ev, next)
	case string:
		return appendStringEvent(dst, v, next), nil
	default:
		ev := MessageEvent{Data: v}
		return appendEvent(dst, &ev, next)
	}
}

// appendStringEvent appends MessageEvent{Data: s} without boxing s.
func appendStringEvent(dst []byte, s string, next *uint64) []byte {
	dst = appendAutoID(dst, *next)
	*next++
	dst = appendLines(dst, "data: ", s)
	return append(dst, '\n')
}
