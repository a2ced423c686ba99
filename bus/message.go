package bus

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rxsse/rxsse/bus/internal/fanout"
	"github.com/rxsse/rxsse/sse"
)

// Message is what travels on the bus. A hub hands every subscriber the same
// *Message: treat it, its Users and its Data as read-only.
//
// A Message is an sse.Eventer: a route may return a hub's stream as it is,
// and sse writes each message as the event {id: ID, event: Type, data:
// Data}, encoded once for all the streams it goes to.
type Message struct {
	ID    string   // globally ordered id assigned by the hub at publish (used as SSE id)
	Topic string   // "" = not a topic message
	Users []string // recipients when addressed to users; empty with Topic "" = everyone
	Type  string   // optional event type (SSE "event:")
	Data  []byte   // payload (JSON usually)

	shared *sharedEvent // set by Seal
}

// sharedEvent is a sealed message's SSE event, made by the first stream
// that asks for it (so that a message no stream writes costs nothing more).
type sharedEvent struct {
	owner *Message // a copy of the message is not the owner
	once  sync.Once
	event *sse.Encoded
}

// Seal prepares m to go to many subscribers: the SSE event of m (see Event)
// is made once, when the first stream writes m, and shared by every other.
// A Hub seals each message before delivering it; an implementation of Hub
// outside this package calls Seal after setting m's fields, which must not
// change afterwards.
func (m *Message) Seal() { m.shared = &sharedEvent{owner: m} }

// SharedEvent returns the encoding of m's event that every stream writing m
// shares (see Seal), or nil for a message that was not sealed, or is a copy
// of one. It makes m an sse.SharedEventer.
func (m *Message) SharedEvent() *sse.Encoded {
	sh := m.shared
	if sh == nil || sh.owner != m {
		return nil
	}
	sh.once.Do(func() { sh.event = sse.Share(m.newEvent()) })
	return sh.event
}

// size is the memory m's data may take: the data, and its copy in m's
// event when sealed.
func (m *Message) size() int {
	if m.shared != nil {
		return 2 * len(m.Data)
	}
	return len(m.Data)
}

// Event returns the message as an SSE event: its ID as the event id, its
// Type as the event type, its Data as the data (as it is: a JSON payload
// is written as JSON). A start mark (IsMark) has no data, so that a browser
// takes its id without dispatching anything. The event of a message from a
// hub carries the message's shared encoding (see Seal), so that however many
// streams write it, it is encoded once. Map a hub's stream with it to mix
// messages with events of your own:
//
//	rx.StartWith(rx.Map(msgs, (*bus.Message).Event), welcome)
func (m *Message) Event() sse.MessageEvent {
	if e := m.SharedEvent(); e != nil {
		return e.Event()
	}
	// Not sealed, or a copy of a sealed message that may have been
	// changed: an event of its own.
	return m.newEvent()
}

func (m *Message) newEvent() sse.MessageEvent {
	ev := sse.MessageEvent{ID: &m.ID, Type: m.Type}
	if !m.IsMark() {
		ev.Data = string(m.Data)
	}
	return ev
}

// For reports whether m is meant for user: true for messages not addressed
// to users (broadcasts and topic messages) and for those whose Users include
// user. An anonymous user ("") is meant only the former.
func (m *Message) For(user string) bool {
	return len(m.Users) == 0 || (user != "" && slices.Contains(m.Users, user))
}

// Address says who receives a publish: everyone (ToAll), the subscribers of a
// topic (ToTopic), or the subscribers of some users (ToUser). The zero Address
// is invalid: publishing to it fails with ErrAddress, so that a forgotten
// address never becomes a broadcast.
type Address struct {
	kind  addressKind
	topic string
	users []string
}

type addressKind uint8

const (
	addressInvalid addressKind = iota
	addressAll
	addressTopic
	addressUsers
)

// ToAll addresses every subscriber.
func ToAll() Address { return Address{kind: addressAll} }

// ToTopic addresses the subscribers that named the topic name in their
// Recipient.Topics. An empty name makes an invalid Address.
func ToTopic(name string) Address {
	if name == "" {
		return Address{}
	}
	return Address{kind: addressTopic, topic: name}
}

// ToUser addresses the subscribers of the given users (every connection of
// each). Repeated and empty ids are dropped; with no id left the Address is
// invalid (it never means everyone).
func ToUser(ids ...string) Address {
	ids = fanout.Dedupe(slices.Clone(ids))
	if len(ids) == 0 {
		return Address{}
	}
	return Address{kind: addressUsers, users: ids}
}

// Valid reports whether a can be published to.
func (a Address) Valid() bool { return a.kind != addressInvalid }

// Topic returns the topic a names, or "".
func (a Address) Topic() string { return a.topic }

// Users returns the users a names, or nil. The slice must not be modified.
func (a Address) Users() []string { return a.users }

// String describes a, for logs.
func (a Address) String() string {
	switch a.kind {
	case addressAll:
		return "all"
	case addressTopic:
		return "topic " + strconv.Quote(a.topic)
	case addressUsers:
		return "users " + strings.Join(a.users, ",")
	}
	return "invalid address"
}
