package sse

import "time"

// MessageEvent is one server-sent event, as Nest's MessageEvent. Pointer
// fields tell "absent" (nil) from "present but empty", because the wire
// differs: a nil ID lets the connection's automatic id be used, while an
// empty one is written as "id: " (which resets the client's last event id).
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
	// Comment is written as one ": <line>" per line when non-empty. An event
	// with only a comment is a keep-alive: it gets no automatic id.
	Comment string
}
