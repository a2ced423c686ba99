package bus

import (
	"context"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

// Every subscriber gets the same sealed *Message, so that the streams it
// goes to share one encoding of its event; a changed copy gets its own.
func TestSubscribersShareTheSealedMessage(t *testing.T) {
	hub := NewMemory(nil)
	defer hub.Close()
	ctx := context.Background()
	var got [3]*Message
	for i := range got {
		s := hub.Subscribe(ctx, Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[*Message]{
			OnNext: func(m *Message) { got[i] = m },
		})
		defer s.Unsubscribe()
	}
	if _, err := hub.Publish(ctx, ToUser("ann"), "notice", []byte(`{"x":1}`)); err != nil {
		t.Fatal(err)
	}
	m := got[0]
	if m == nil || got[1] != m || got[2] != m {
		t.Fatalf("subscribers got %p %p %p, want one message", got[0], got[1], got[2])
	}
	if m.SharedEvent() == nil || m.SharedEvent() != got[1].SharedEvent() {
		t.Fatal("a published message is not sealed, or its subscribers do not share its event")
	}
	ev := m.Event()
	if ev.ID != &m.ID || ev.Type != "notice" || ev.Data != `{"x":1}` {
		t.Fatalf("Event() = %+v", ev)
	}

	c := *m
	c.Data = []byte("changed")
	if ev := c.Event(); ev.Data != "changed" || *ev.ID != m.ID {
		t.Fatalf("a changed copy's event = %+v, want its own data", ev)
	}
	mark := markMessage("1-2")
	if ev := mark.Event(); ev.Data != nil || ev.Type != MarkType || *ev.ID != "1-2" {
		t.Fatalf("a mark's event = %+v, want an id and no data", ev)
	}
}
