package bus

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bus/internal/fanout"
	"github.com/rxsse/rxsse/bus/internal/streamid"
	"github.com/rxsse/rxsse/rx"
)

// Defaults of MemoryOptions.
const (
	// DefaultHistory is the number of messages a memory hub keeps for
	// replay when MemoryOptions.History is 0.
	DefaultHistory = 1024
	// DefaultHistoryBytes bounds the data the history holds when
	// MemoryOptions.HistoryBytes is 0.
	DefaultHistoryBytes = 16 << 20
	// DefaultMaxMessageBytes is the largest message data a hub takes when
	// MemoryOptions.MaxMessageBytes is 0 (a larger one fails with
	// ErrTooLarge): the default body limit of a controller.
	DefaultMaxMessageBytes = 1 << 20
)

// MemoryOptions configures a memory hub. A nil *MemoryOptions, and zero
// fields, mean the defaults.
type MemoryOptions struct {
	// History is how many of the latest messages are kept for replay after
	// a Last-Event-ID: 0 means DefaultHistory, a negative number none (only
	// a client that missed nothing can resume).
	History int
	// MaxAge also drops from the history the messages older than MaxAge
	// (0: no age limit).
	MaxAge time.Duration
	// HistoryBytes also bounds the memory the history's data takes (a
	// message's data and the copy in its SSE event): the oldest messages go
	// first (the newest is always kept). 0 means
	// DefaultHistoryBytes (16 MiB), negative no byte limit.
	HistoryBytes int
	// MaxMessageBytes is the largest data Publish takes; a larger message
	// fails with ErrTooLarge (a 413 when a controller answers it). 0 means
	// DefaultMaxMessageBytes (1 MiB), negative no limit.
	MaxMessageBytes int
}

// Memory is a hub within one process. Publishing routes a message to its
// recipients only: a message to one user costs the same whatever the number
// of connected users. Ids are "<epoch>-<n>": n counts the messages of this
// hub and epoch is its start time in Unix milliseconds (made unique within
// the process), so an id from before a restart never names a message after
// it, and ids order numerically as Redis stream ids do.
type Memory struct {
	epoch   uint64
	maxAge  time.Duration
	maxData int // <= 0: no limit

	mu      sync.Mutex
	closed  bool
	seq     uint64
	history history
	router  fanout.Router[Message]
}

var _ Hub = (*Memory)(nil)

// lastEpoch makes epochs unique among the hubs of one process, even when two
// start within the same millisecond.
var lastEpoch atomic.Uint64

// claimedPool recycles the lists of subscribers a publish delivers to.
var claimedPool = sync.Pool{New: func() any { return new([]*fanout.Sub[Message]) }}

// NewMemory returns a memory hub.
func NewMemory(opts *MemoryOptions) *Memory {
	if opts == nil {
		opts = &MemoryOptions{}
	}
	if opts.MaxAge < 0 {
		panic("bus: NewMemory: negative MaxAge")
	}
	limit := opts.History
	if limit == 0 {
		limit = DefaultHistory
	}
	historyBytes := cmp.Or(opts.HistoryBytes, DefaultHistoryBytes)
	maxData := cmp.Or(opts.MaxMessageBytes, DefaultMaxMessageBytes)
	epoch := uint64(time.Now().UnixMilli())
	for {
		last := lastEpoch.Load()
		if epoch <= last {
			epoch = last + 1
		}
		if lastEpoch.CompareAndSwap(last, epoch) {
			break
		}
	}
	return &Memory{epoch: epoch, maxAge: opts.MaxAge, maxData: maxData, history: newHistory(limit, historyBytes)}
}

// Publish sends a message to the subscribers named by to and returns its id.
// It delivers before returning, to the subscribers that are not already being
// delivered to by another goroutine; it never waits for one.
func (m *Memory) Publish(ctx context.Context, to Address, typ string, data []byte) (string, error) {
	if !to.Valid() {
		return "", ErrAddress
	}
	if typ == MarkType {
		return "", ErrReservedType
	}
	if m.maxData > 0 && len(data) > m.maxData {
		return "", ErrTooLarge
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	msg := &Message{Topic: to.topic, Users: to.users, Type: typ, Data: bytes.Clone(data)}
	var now time.Time // only MaxAge needs the time of publication
	if m.maxAge > 0 {
		now = time.Now()
	}
	claimed := claimedPool.Get().(*[]*fanout.Sub[Message])

	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		claimedPool.Put(claimed)
		return "", ErrClosed
	}
	m.seq++
	msg.ID = streamid.ID{Hi: m.epoch, Lo: m.seq}.String()
	msg.Seal()
	m.history.add(m.seq, now, msg)
	m.expire(now)
	*claimed = m.router.Route(msg, msg.Topic, msg.Users, *claimed)
	m.mu.Unlock()

	fanout.Drain(*claimed)
	*claimed = (*claimed)[:0]
	claimedPool.Put(claimed)
	return msg.ID, nil
}

// expire applies MaxAge to the history; m.mu is held.
func (m *Memory) expire(now time.Time) {
	if m.maxAge > 0 {
		m.history.expire(now.Add(-m.maxAge))
	}
}

// Subscribe returns the messages addressed to sub; see Hub.
func (m *Memory) Subscribe(ctx context.Context, sub Recipient) rx.Observable[*Message] {
	sub.Topics = slices.Clone(sub.Topics) // the caller may reuse its slice
	// The mailbox (fanout.Sub) already delivers from one goroutine at a
	// time, and the end of the context goes through it (fs.End): Create's
	// serializer would be a second one on every message. Like Close, the
	// end of ctx thus comes after the messages already in the mailbox.
	return rx.CreateSerialized(func(s rx.Subscriber[*Message]) func() {
		fs := fanout.NewSub(s, sub.User, sub.Topics, nil)
		// Registering and taking the missed messages under one lock is what
		// makes the replay meet the live messages with no gap or duplicate.
		m.mu.Lock()
		if m.closed {
			m.mu.Unlock()
			s.Error(ErrClosed)
			return nil
		}
		if sub.LastEventID != "" {
			missed, err := m.missed(sub.LastEventID)
			if err != nil {
				m.mu.Unlock()
				s.Error(err)
				return nil
			}
			fs.Preload(slices.DeleteFunc(missed, func(msg *Message) bool {
				return !sub.Receives(msg)
			}))
		}
		if sub.Mark {
			// The live feed starts after the latest message: m.seq, under
			// the lock that orders publishes ("<epoch>-0" before any).
			fs.Preload([]*Message{markMessage(streamid.ID{Hi: m.epoch, Lo: m.seq}.String())})
		}
		m.router.Add(fs)
		m.mu.Unlock()

		stop := completeWhenDone(ctx, fs.End)
		fs.Drain()
		return func() {
			stop()
			m.mu.Lock()
			m.router.Remove(fs)
			m.mu.Unlock()
		}
	})
}

// missed returns the messages after the one with id, or an error matching
// ErrReplayGap; m.mu is held.
func (m *Memory) missed(id string) ([]*Message, error) {
	last, err := streamid.Parse(id)
	if err != nil || last.Hi != m.epoch {
		return nil, fmt.Errorf("%w (%q is not an id of this hub)", ErrReplayGap, id)
	}
	if m.maxAge > 0 {
		m.expire(time.Now())
	}
	missed, ok := m.history.after(last.Lo)
	if !ok {
		return nil, fmt.Errorf("%w (%q)", ErrReplayGap, id)
	}
	return missed, nil
}

// completeWhenDone calls complete when ctx ends, until the returned stop is
// called.
func completeWhenDone(ctx context.Context, complete func()) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	unregister := context.AfterFunc(ctx, complete)
	return func() { unregister() }
}

// Subscribers returns the number of subscriptions currently registered.
func (m *Memory) Subscribers() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.router.Len()
}

// Close ends every subscription (their streams complete) and makes later
// Publish and Subscribe calls fail with ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	claimed := m.router.EndAll(nil)
	m.history = history{}
	m.mu.Unlock()
	fanout.Drain(claimed)
	return nil
}
