package bustest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
)

// waitTimeout bounds every wait for a delivery; a hub that is merely slow
// still passes well within it, one that lost a message fails.
const waitTimeout = 20 * time.Second

// recorder is an observer that keeps what it receives; it never blocks, as
// a hub's observers must not.
type recorder struct {
	mu      sync.Mutex
	msgs    []*bus.Message
	err     error
	done    bool
	changed chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1)} }

func (r *recorder) Next(m *bus.Message) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	r.signal()
}

func (r *recorder) Error(err error) {
	r.mu.Lock()
	r.err, r.done = err, true
	r.mu.Unlock()
	r.signal()
}

func (r *recorder) Complete() {
	r.mu.Lock()
	r.done = true
	r.mu.Unlock()
	r.signal()
}

func (r *recorder) signal() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// snapshot returns what was received so far.
func (r *recorder) snapshot() ([]*bus.Message, error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs), r.err, r.done
}

// waitUntil waits until cond holds for the recorder's state, and fails the
// test (describing what) when it does not within waitTimeout.
func (r *recorder) waitUntil(t testing.TB, what string, cond func(msgs []*bus.Message, err error, done bool) bool) {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		ok := cond(r.msgs, r.err, r.done)
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-deadline.C:
			msgs, err, done := r.snapshot()
			t.Fatalf("timed out waiting for %s; got %d messages %s, err %v, ended %v", what, len(msgs), ids(msgs), err, done)
		}
	}
}

// waitID waits until the message with id arrived (a fence: the hub delivers
// in id order, so everything published before it has arrived too) and
// returns what arrived before it.
func (r *recorder) waitID(t testing.TB, id string) []*bus.Message {
	t.Helper()
	var before []*bus.Message
	r.waitUntil(t, "message "+id, func(msgs []*bus.Message, _ error, _ bool) bool {
		for i, m := range msgs {
			if m.ID == id {
				before = slices.Clone(msgs[:i])
				return true
			}
		}
		return false
	})
	return before
}

// waitEnd waits until the stream ended and returns its error.
func (r *recorder) waitEnd(t testing.TB) error {
	t.Helper()
	var err error
	r.waitUntil(t, "the end of the stream", func(_ []*bus.Message, e error, done bool) bool {
		err = e
		return done
	})
	return err
}

// subscribe subscribes a recorder to hub for sub, unsubscribing at cleanup.
func subscribe(t testing.TB, hub bus.Hub, sub bus.Recipient) (*recorder, rx.Subscription) {
	t.Helper()
	r := newRecorder()
	s := hub.Subscribe(context.Background(), sub).Subscribe(context.Background(), r)
	t.Cleanup(s.Unsubscribe)
	return r, s
}

// publish publishes and fails the test on error.
func publish(t testing.TB, hub bus.Hub, to bus.Address, typ, data string) string {
	t.Helper()
	id, err := hub.Publish(context.Background(), to, typ, []byte(data))
	if err != nil {
		t.Fatalf("Publish(%v, %q): %v", to, data, err)
	}
	if id == "" {
		t.Fatalf("Publish(%v, %q) returned an empty id", to, data)
	}
	return id
}

// ids lists the ids of msgs, for messages.
func ids(msgs []*bus.Message) string {
	if len(msgs) > 12 {
		return fmt.Sprintf("%v … %v", idList(msgs[:6]), idList(msgs[len(msgs)-6:]))
	}
	return fmt.Sprint(idList(msgs))
}

func idList(msgs []*bus.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

// sameIDs fails unless got carries exactly the ids want, in order.
func sameIDs(t testing.TB, who string, got []*bus.Message, want []string) {
	t.Helper()
	g := idList(got)
	if slices.Equal(g, want) {
		return
	}
	for i := range min(len(g), len(want)) {
		if g[i] != want[i] {
			t.Fatalf("%s: message %d is %s, want %s (got %d messages, want %d)", who, i, g[i], want[i], len(g), len(want))
		}
	}
	t.Fatalf("%s: got %d messages, want %d (got %s)", who, len(g), len(want), ids(got))
}
