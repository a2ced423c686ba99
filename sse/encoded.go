package sse

import (
	"fmt"
	"reflect"
	"sync"
)

// Encoded is an event whose bytes are made once for every stream that writes
// it: only the automatic id line, when the event has no id of its own, is
// added per connection. It is how a broadcast costs one encoding, however
// many connections it goes to. An Encoded is immutable and safe for
// concurrent use.
//
// Emit an *Encoded, or the MessageEvent its Event method returns, on any
// number of streams. bus.Message does this for every published message.
type Encoded struct {
	ev     MessageEvent // what is encoded (ev.shared is nil)
	size   int          // the expected length of the bytes
	autoID bool         // the event takes the connection's automatic id
	once   sync.Once    // the first writer that needs the bytes makes them
	enc    encoding
}

// encoding is an event's bytes, with where the automatic id line goes.
type encoding struct {
	b    []byte
	idAt int   // -1: the event takes no automatic id
	err  error // the event cannot be encoded (its JSON data)
}

// Share returns ev as an event encoded once, by the first stream that writes
// it, and then copied by every other. The encoding is deferred so that the
// goroutine that hands a broadcast to many streams does no more than a
// pointer's work for each; an error (data that cannot be JSON-encoded) ends
// the streams that write it, as the same MessageEvent would. ev must not be
// modified afterwards (its Data included).
func Share(ev MessageEvent) *Encoded {
	ev.shared = nil
	e := &Encoded{ev: ev, size: expectedSize(&ev), autoID: ev.ID == nil && !commentOnly(&ev)}
	return e
}

// Encode encodes ev now, once; see Share. It fails only when ev.Data cannot
// be encoded as JSON.
func Encode(ev MessageEvent) (*Encoded, error) {
	e := Share(ev)
	if enc := e.encoding(); enc.err != nil {
		return nil, enc.err
	}
	return e, nil
}

// SharedEvent returns e: an *Encoded is queued as it is.
func (e *Encoded) SharedEvent() *Encoded { return e }

// Event returns the event e encodes, carrying e: a stream that writes it
// copies e's bytes instead of encoding it again (unless a field of the
// returned event was changed).
func (e *Encoded) Event() MessageEvent {
	if e == nil {
		return MessageEvent{} // an empty event, as a nil *MessageEvent
	}
	ev := e.ev
	ev.shared = e
	return ev
}

// encoding returns e's bytes, making them on first use: once, whatever the
// number of writers that come at once (the others wait for the first).
func (e *Encoded) encoding() *encoding {
	e.once.Do(func() { e.enc = encodeShared(&e.ev) })
	return &e.enc
}

func encodeShared(ev *MessageEvent) encoding {
	b := appendHead(nil, ev)
	at := -1
	switch {
	case ev.ID != nil:
		b = appendID(b, *ev.ID)
	case !commentOnly(ev):
		at = len(b)
	}
	b, err := appendTail(b, ev)
	if err != nil {
		return encoding{idAt: -1, err: fmt.Errorf("sse: encoding event: %w", err)}
	}
	return encoding{b: b, idAt: at}
}

// takesID reports whether the event gets the connection's automatic id.
func (e *Encoded) takesID() bool { return e.autoID }

// appendTo appends the event with id as its automatic id (when it takes
// one).
func (e *Encoded) appendTo(dst []byte, id uint64) ([]byte, error) {
	enc := e.encoding()
	if enc.err != nil {
		return dst, enc.err
	}
	if enc.idAt < 0 {
		return append(dst, enc.b...), nil
	}
	dst = append(dst, enc.b[:enc.idAt]...)
	dst = appendAutoID(dst, id)
	return append(dst, enc.b[enc.idAt:]...), nil
}

// String returns the event as it goes on the wire, with "<auto>" in place of
// an automatic id.
func (e *Encoded) String() string {
	enc := e.encoding()
	if enc.err != nil {
		return "<" + enc.err.Error() + ">"
	}
	if enc.idAt < 0 {
		return string(enc.b)
	}
	return string(enc.b[:enc.idAt]) + "id: <auto>\n" + string(enc.b[enc.idAt:])
}

// expectedSize is about the length of ev's encoding, known without encoding
// it when its data is a string: what a queue counts against its byte limit
// before the writer encodes the event.
func expectedSize(ev *MessageEvent) int {
	n := len(ev.Type) + 32
	if ev.Comment != nil {
		n += len(*ev.Comment)
	}
	if ev.ID != nil {
		n += len(*ev.ID)
	}
	switch d := ev.Data.(type) {
	case string:
		n += len(d)
	case nil:
	default:
		n += 64 // JSON data: counted when the event is encoded is not worth it
	}
	return n
}

// sharedOf returns the shared encoding of ev, or nil when ev has none or was
// changed since it was made from it.
func sharedOf(ev *MessageEvent) *Encoded {
	e := ev.shared
	if e == nil {
		return nil
	}
	o := &e.ev
	if ev.ID != o.ID || ev.Retry != o.Retry || ev.Type != o.Type || ev.Comment != o.Comment || !sameData(ev.Data, o.Data) {
		return nil
	}
	return e
}

// sameData reports whether a and b are the same data. Strings compare by
// value (the same string compares at the cost of a pointer), comparable
// values with ==, slices, maps and pointers by identity.
func sameData(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, ok := b.(string)
		return ok && as == bs
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) {
		return false
	}
	if ta.Comparable() {
		return a == b
	}
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	switch va.Kind() {
	case reflect.Slice:
		return va.Len() == vb.Len() && va.UnsafePointer() == vb.UnsafePointer()
	case reflect.Map:
		return va.UnsafePointer() == vb.UnsafePointer()
	}
	return false
}
