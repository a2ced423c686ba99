package redisbus

import (
	"context"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/rx"
)

// A barrier sent after a new channel was registered but before the live
// connection was asked to subscribe to it (a keepalive, say) must not make
// the channel ready: the subscription would then take the stream's end as
// the point where live delivery starts, and lose what is published until
// the subscription really happens.
func TestBarrierBeforeSubscription(t *testing.T) {
	url := testenv.RedisURL(t)
	ctx := context.Background()
	h, err := New(ctx, url, &Options{Stream: "rxsse:test:barrier:" + time.Now().Format(time.RFC3339Nano)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	defer h.client.Del(ctx, h.stream, h.names.all(), h.names.user("ann"))
	waitConnected(t, h)

	h.psMu.Lock() // holds the control goroutine back: no SSUBSCRIBE yet
	got := make(chan *bus.Message, 2)
	s := h.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) { got <- m },
	})
	defer s.Unsubscribe()
	tok := h.barrier(ctx)
	waitUntil(t, "the barrier's answer", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.lastAnswer >= tok
	})
	id, err := h.Publish(ctx, bus.ToUser("ann"), "", []byte("first"))
	h.psMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m.ID != id {
			t.Fatalf("got %s, want %s", m.ID, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the message published after the subscription never arrived")
	}
}

func waitConnected(t *testing.T, h *Hub) {
	t.Helper()
	waitUntil(t, "the live connection", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.lastAnswer > 0
	})
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
