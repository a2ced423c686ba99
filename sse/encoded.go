package sse

import "fmt"

// Encoded is a MessageEvent encoded once, to be sent to many connections:
// only the automatic id line, when the event has no id of its own, is added
// per connection. Emit *Encoded values (from an rx.Observable[*Encoded], or
// as values of an rx.Observable[any]) to broadcast without re-encoding. An
// Encoded is immutable and safe for concurrent use.
type Encoded struct {
	b    []byte
	idAt int // where the automatic id line goes; -1: the event takes none
}

// Encode encodes ev once. It fails only when ev.Data cannot be encoded as
// JSON.
func Encode(ev MessageEvent) (*Encoded, error) {
	b := appendHead(nil, &ev)
	at := -1
	switch {
	case ev.ID != nil:
		b = appendID(b, *ev.ID)
	case !commentOnly(&ev):
		at = len(b)
	}
	b, err := appendTail(b, &ev)
	if err != nil {
		return nil, fmt.Errorf("sse: encoding event: %w", err)
	}
	return &Encoded{b: b, idAt: at}, nil
}

// appendTo appends the event with the connection's next automatic id when
// it takes one. A nil Encoded is an empty event.
func (e *Encoded) appendTo(dst []byte, next *autoID) []byte {
	if e == nil {
		dst = next.appendNext(dst)
		return append(dst, '\n')
	}
	if e.idAt < 0 {
		return append(dst, e.b...)
	}
	dst = append(dst, e.b[:e.idAt]...)
	dst = next.appendNext(dst)
	return append(dst, e.b[e.idAt:]...)
}

// size returns the length of the event without its automatic id line.
func (e *Encoded) size() int {
	if e == nil {
		return 1
	}
	return len(e.b)
}

// String returns the event as it goes on the wire, with "<auto>" in place of
// an automatic id.
func (e *Encoded) String() string {
	if e == nil {
		return "id: <auto>\n\n"
	}
	if e.idAt < 0 {
		return string(e.b)
	}
	return string(e.b[:e.idAt]) + "id: <auto>\n" + string(e.b[e.idAt:])
}
