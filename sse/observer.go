package sse

import "fmt"

// observer receives one stream's notifications (from any goroutine, one at a
// time) and queues them, encoded, for the stream's writer.
type observer[T any] struct {
	*stream
	encode func(dst []byte, v T, next *autoID) ([]byte, error)
}

func (o *observer[T]) Next(v T) {
	s := o.stream
	s.mu.Lock()
	if s.ended() {
		s.mu.Unlock()
		return
	}
	firstDrop, start := false, false
	if s.queued >= s.cfg.queueSize {
		var ok bool
		if ok, firstDrop, start = s.makeRoom(); !ok {
			s.mu.Unlock()
			if start {
				go s.drain()
			}
			return
		}
	}
	at := len(s.pending)
	var err error
	if s.pending, err = o.encode(s.pending, v, &s.nextID); err != nil {
		s.pending = s.pending[:at]
		start = s.endLocked(fmt.Errorf("sse: encoding event: %w", err))
		s.mu.Unlock()
		if start {
			go s.drain()
		}
		return
	}
	s.emitted = true
	if s.dropNew {
		s.dropNew = false
		s.pending = s.pending[:at] // encoded only to consume its id
	} else {
		s.queued++
		if s.cfg.slowClient == DropOldest {
			s.starts = append(s.starts, at)
		}
		// On the first event queued since the writer took the queue: later
		// ones find it notified already.
		if s.queued == 1 {
			start = s.notifyLocked()
		}
	}
	s.mu.Unlock()
	if start {
		go s.drain()
	}
	if firstDrop {
		s.cfg.logger.WarnContext(s.ctx, "sse: slow client: dropping events",
			"policy", s.cfg.slowClient.String(), "queue", s.cfg.queueSize, "path", s.r.URL.Path)
	}
}

func (o *observer[T]) Error(err error) {
	if err == nil {
		err = errNilError
	}
	o.stream.end(err)
}

func (o *observer[T]) Complete() { o.stream.end(nil) }

// encoderFor returns the function that encodes a value of type T, chosen
// once per stream so that events of a known type are not boxed.
func encoderFor[T any]() func([]byte, T, *autoID) ([]byte, error) {
	var f any
	switch any((*T)(nil)).(type) {
	case *MessageEvent:
		f = func(dst []byte, v MessageEvent, next *autoID) ([]byte, error) {
			return appendEvent(dst, &v, next)
		}
	case **MessageEvent:
		f = func(dst []byte, v *MessageEvent, next *autoID) ([]byte, error) {
			if v == nil {
				v = &MessageEvent{}
			}
			return appendEvent(dst, v, next)
		}
	case **Encoded:
		f = func(dst []byte, v *Encoded, next *autoID) ([]byte, error) {
			return v.appendTo(dst, next), nil
		}
	case *string:
		f = func(dst []byte, v string, next *autoID) ([]byte, error) {
			return appendStringEvent(dst, v, next), nil
		}
	default:
		f = func(dst []byte, v T, next *autoID) ([]byte, error) {
			return appendValue(dst, any(v), next)
		}
	}
	return f.(func([]byte, T, *autoID) ([]byte, error))
}

// appendValue encodes a value whose type is known only at run time.
func appendValue(dst []byte, v any, next *autoID) ([]byte, error) {
	switch v := v.(type) {
	case MessageEvent:
		return appendEvent(dst, &v, next)
	case *MessageEvent:
		if v == nil {
			v = &MessageEvent{}
		}
		return appendEvent(dst, v, next)
	case *Encoded:
		return v.appendTo(dst, next), nil
	case string:
		return appendStringEvent(dst, v, next), nil
	default:
		ev := MessageEvent{Data: v}
		return appendEvent(dst, &ev, next)
	}
}

// appendStringEvent appends MessageEvent{Data: s} without boxing s.
func appendStringEvent(dst []byte, s string, next *autoID) []byte {
	dst = next.appendNext(dst)
	dst = appendLines(dst, "data: ", s)
	return append(dst, '\n')
}
