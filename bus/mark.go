package bus

import "errors"

// MarkType is the Type of a start mark, the message that a Recipient
// with Mark set receives where its live feed starts. A mark has an ID and
// this Type only (no Data, Topic or Users), and is never published: Publish
// refuses this type (ErrReservedType), so m.Type == MarkType (IsMark) tells
// a mark from every published message.
//
// A mark's ID is the position of the subscription in the hub's order: every
// message the subscriber receives after the mark has a greater id, every one
// before it (a replay) an id at most the mark's. Used as the LastEventID of
// a later subscription, it replays exactly the messages published after the
// mark, as the id of a message would: so a connection that has not received
// any message yet can still resume without a gap, by sending the mark's id
// to the client as its first event's id. A hub where nothing was published
// yet marks its start: "<epoch>-0" for a memory hub (an id of no other
// memory hub, so that it fails with ErrReplayGap after a restart), "0-0"
// for a Redis stream with no entries.
//
// Written to an event stream as is (an id, an event type and no data), a
// mark sets the browser's last event id without dispatching an event.
const MarkType = "bus.mark"

// ErrReservedType is returned when publishing a message of type MarkType.
var ErrReservedType = errors.New("bus: event type " + MarkType + " is reserved for start marks")

// IsMark reports whether m is a start mark (see MarkType) rather than a
// published message.
func (m *Message) IsMark() bool { return m.Type == MarkType }

// markMessage returns the start mark at id.
func markMessage(id string) *Message {
	m := &Message{ID: id, Type: MarkType}
	m.Seal()
	return m
}
