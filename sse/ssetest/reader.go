package ssetest

import (
	"io"
	"time"

	"github.com/rxsse/rxsse/sse/internal/eventstream"
)

// Event is an event as EventSource dispatches it to a listener.
type Event struct {
	// Type is the event type: the last "event" field of the block, or
	// "message" when there was none.
	Type string
	// Data is the data fields of the block joined by "\n".
	Data string
	// LastEventID is the source's last event ID string when the event was
	// dispatched: the last "id" field seen so far in the stream.
	LastEventID string
	// Comments are the comment lines (without the colon, and with one
	// leading space removed) read since the previous event, in order.
	Comments []string
}

// Reader reads events from a text/event-stream body following the WHATWG
// HTML rules ("Parsing an event stream"): UTF-8 with an optional leading BOM,
// lines ended by CRLF, LF or CR, comments, "retry" only when all ASCII
// digits, "id" ignored when it contains NUL, data lines joined by "\n", and a
// block dispatched only when its data is not empty. A block not ended by a
// blank line when the stream ends is discarded, as a browser does.
type Reader struct {
	p *eventstream.Parser
}

// NewReader returns a Reader of the event stream r.
func NewReader(r io.Reader) *Reader {
	return &Reader{p: eventstream.NewParser(r, eventstream.Config{Comments: true})}
}

// LastEventID returns the last event ID string: the value of the last
// valid "id" field read so far (including in blocks that dispatched
// nothing).
func (r *Reader) LastEventID() string { return r.p.LastEventID() }

// Retry returns the reconnection time set by the last valid "retry" field,
// and whether one was read.
func (r *Reader) Retry() (time.Duration, bool) { return r.p.Retry() }

// Next reads up to the next event EventSource would dispatch and returns it.
// At the end of the stream it returns io.EOF (with any incomplete block
// discarded); a read error is returned as is.
func (r *Reader) Next() (Event, error) {
	ev, err := r.p.Next()
	return Event(ev), err
}
