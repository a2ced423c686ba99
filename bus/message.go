package bus

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rxsse/rxsse/bus/internal/fanout"
)

// Message is what travels on the bus. Every subscriber that receives a
// message shares its Users and Data: treat them as read-only.
type Message struct {
	ID    string   // globally ordered id assigned by the hub at publish (used as SSE id)
	Topic string   // "" = not a topic message
	Users []string // recipients when addressed to users; empty with Topic "" = everyone
	Type  string   // optional event type (SSE "event:")
	Data  []byte   // payload (JSON usually)
}

// For reports whether m is meant for user: true for messages not addressed
// to users (broadcasts and topic messages) and for those whose Users include
// user. An anonymous user ("") is meant only the former.
func (m Message) For(user string) bool {
	return len(m.Users) == 0 || (user != "" && slices.Contains(m.Users, user))
}

// Address says who receives a publish: everyone (All), the subscribers of a
// topic (Topic), or the subscribers of some users (User). The zero Address
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

// All addresses every subscriber.
func All() Address { return Address{kind: addressAll} }

// Topic addresses the subscribers that named topic name in their
// Subscription. An empty name makes an invalid Address.
func Topic(name string) Address {
	if name == "" {
		return Address{}
	}
	return Address{kind: addressTopic, topic: name}
}

// User addresses the subscribers of the given users (every connection of
// each). Repeated and empty ids are dropped; with no id left the Address is
// invalid (it never means everyone).
func User(ids ...string) Address {
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
