package bus

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// Hub delivers published messages to the subscribers they are addressed to.
// It is implemented by the memory hub (NewMemory) and by the Redis hub
// (package redisbus); bustest.Run checks an implementation.
//
// Message ids are strings of the form "<n>-<n>", as Redis stream ids are,
// and order numerically (first number, then second) as the messages were
// published.
//
// Hub methods are safe for concurrent use. Delivery is a push: the hub calls
// each subscriber's observer synchronously, from the publishing goroutine
// (memory hub) or the backend's reader (Redis hub), without holding its
// lock. An observer must therefore not block: it hands the value on, as the
// sse package's stream does to its bounded queue. A subscriber that another
// goroutine is already delivering to gets the message from that goroutine,
// in id order: a publish never waits for it.
type Hub interface {
	// Publish sends a message of type typ with data to the subscribers named
	// by to, and returns its id. The hub copies data. Type MarkType is
	// reserved: publishing it fails with ErrReservedType.
	Publish(ctx context.Context, to Address, typ string, data []byte) (id string, err error)
	// Subscribe returns the messages addressed to this subscriber: everything
	// sent to All, to any of the topics it names, or to its user. The
	// subscription is registered when the returned Observable is subscribed
	// and removed when that subscription ends (unsubscribe, cancelled
	// context, or completion downstream); the stream also completes when ctx
	// ends, and when the hub is closed.
	//
	// With a non-empty LastEventID, the missed messages come first (then
	// live ones, no gap, no duplicate), or the stream fails with an error
	// matching ErrReplayGap if the history no longer reaches back that far
	// (or the id is not one of this hub's).
	//
	// With Mark, a start mark (see MarkType) comes where the live feed
	// starts: first, or after the replayed messages. Its id is taken with
	// the registration, so that resuming after it misses nothing.
	Subscribe(ctx context.Context, sub Recipient) rx.Observable[*Message]
	// Close ends every subscription (their streams complete) and makes
	// later calls fail with ErrClosed. It is safe to call more than once.
	Close() error
}

// Recipient says who subscribes, and so what it receives (as Address says
// who a publish is for), and where it resumes.
type Recipient struct {
	// User is the subscriber's user id, "" for an anonymous subscriber (who
	// receives only broadcasts and topics).
	User string
	// Topics are the topics it receives, besides broadcasts and its user's
	// messages.
	Topics []string
	// LastEventID is the id of the last message (or start mark) the client
	// received (the Last-Event-ID header of a reconnecting EventSource), or
	// "".
	LastEventID string
	// Mark asks for a start mark: a first message of type MarkType, after
	// the replayed ones when LastEventID is set, whose ID is the position
	// the live feed starts after. Resuming with that id as LastEventID gets
	// every message published after the mark, once: a handler gives it to
	// the client as the id of its first event (a welcome), so that a
	// connection that drops before any message resumes without a gap.
	Mark bool
}

// Receives reports whether a hub routes m to the recipient s: m is a
// broadcast, or on one of s's topics, or addressed to s's user. Backends
// use it to filter what they replay.
func (s Recipient) Receives(m *Message) bool {
	switch {
	case m.Topic != "":
		return slices.Contains(s.Topics, m.Topic)
	case len(m.Users) > 0:
		return s.User != "" && slices.Contains(m.Users, s.User)
	}
	return true
}

var (
	// ErrClosed is returned by a hub that has been closed.
	ErrClosed = errors.New("bus: closed")
	// ErrReplayGap ends a stream whose LastEventID is older than the hub's
	// history, or unknown to it: some messages after it cannot be replayed.
	// A handler may catch it and subscribe again without LastEventID, after
	// telling the client to reload its state.
	ErrReplayGap = errors.New("bus: replay gap: history does not reach back to Last-Event-ID")
	// ErrAddress is returned when publishing to an invalid Address.
	ErrAddress = errors.New("bus: invalid address")
	// ErrTooLarge is returned when publishing data larger than the hub
	// takes. A server answers it 413 (it is an sse.HTTPError).
	ErrTooLarge error = &statusError{msg: "bus: message too large", status: 413, client: "message too large"}
	// ErrUnavailable matches the errors of a hub whose backend cannot be
	// reached (Redis down or frozen). A server answers it 503 with
	// Retry-After (it is an sse.HTTPError); the client may try again.
	ErrUnavailable error = &statusError{msg: "bus: unavailable", status: 503, client: "Service Unavailable", retryAfter: 5 * time.Second}
)
