package sse

import "time"

// MessageEvent is one server-sent event, as Nest's MessageEvent. Pointer
// fields tell "absent" (nil) from "present but empty", because the wire
// differs: a nil ID lets the connection's automatic id be used, while an
// empty one is written as "id: " (which resets the client's last event id).
//
// An event that comes from a shared encoding (Encoded.Event, and so
// bus.Message.Event) remembers it: every stream that writes it copies the
// bytes encoded once, until one of its fields is changed.
type MessageEvent struct {
	// Data is the payload: a string is written as is, nil writes no data
	// line, anything else is written as compact JSON without HTML escaping.
	// Multi-line data becomes one "data:" line per line.
	Data any
	// ID is written as "id: <id>" when non-nil, with CR, LF and NUL removed.
	// When nil, the connection's next automatic id is used.
	ID *string
	// Type is written as "event: <type>" when non-empty, with CR and LF
	// removed.
	Type string
	// Retry is the reconnection delay the client should use, written in
	// whole milliseconds when non-nil (a zero duration writes "retry: 0").
	Retry *time.Duration
	// Comment is written as one ": <line>" per line when non-nil; an empty
	// one is the line ": ", as Nest writes {comment: ''}. An event with only
	// a comment is a keep-alive: it gets no automatic id and consumes none.
	Comment *string

	shared *Encoded // the encoding this event was made from, if any
}

// Eventer is a value written as the event its Event method returns, rather
// than as the data of an event. *bus.Message is one: a route may return a
// hub's stream of messages as it is, and each message, whatever the number of
// streams it goes to, is encoded once. *Encoded is another.
//
// Event is called on the goroutine that emits the value, once per stream:
// it should cost no more than a few loads (return an event made once, such
// as Encoded.Event's).
type Eventer interface {
	Event() MessageEvent
}

// SharedEventer is implemented by values that carry an event encoded once
// for many streams, as *bus.Message does: Serve queues that encoding as it
// is, the cheapest way to hand a broadcast to each stream. A nil result
// means none: the value is then written as an Eventer, or as data.
type SharedEventer interface {
	SharedEvent() *Encoded
}
