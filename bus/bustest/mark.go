package bustest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
)

// waitN waits until n messages arrived and returns them; the stream must
// not have ended.
func (r *recorder) waitN(t testing.TB, n int) []*bus.Message {
	t.Helper()
	r.waitUntil(t, strconv.Itoa(n)+" messages", func(msgs []*bus.Message, err error, done bool) bool {
		return len(msgs) >= n || done
	})
	msgs, err, done := r.snapshot()
	if done {
		t.Fatalf("stream ended (error %v) after %s, want %d messages", err, ids(msgs), n)
	}
	return msgs
}

// marked lists msgs as their ids, a start mark as "mark <id>", for
// comparing whole streams at once.
func marked(msgs []*bus.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
		if m.IsMark() {
			out[i] = "mark " + m.ID
		}
	}
	return out
}

func sameStream(t testing.TB, who string, got []*bus.Message, want ...string) {
	t.Helper()
	if g := marked(got); !slices.Equal(g, want) {
		t.Fatalf("%s: got %q, want %q", who, g, want)
	}
}

// isMark fails unless m is a well-formed start mark.
func isMark(t testing.TB, who string, m *bus.Message) {
	t.Helper()
	if m.Type != bus.MarkType || !m.IsMark() || len(m.Data) != 0 || m.Topic != "" || len(m.Users) != 0 {
		t.Fatalf("%s: got %+v, want a start mark", who, m)
	}
	parseID(t, m.ID)
}

// testMark checks the start mark of a fresh hub, and that resuming after a
// mark gets every message published since, once, whether or not any was
// published before: the case of a client that disconnects before its first
// message.
func testMark(t *testing.T, hub bus.Hub) {
	me := bus.Recipient{User: "ann", Topics: []string{"t"}, Mark: true}
	first, s := subscribe(t, hub, me)
	m0 := first.waitN(t, 1)[0]
	isMark(t, "first subscription to an empty hub", m0)

	// Resuming after the mark of an empty hub, nothing published yet: the
	// same mark, no message.
	resumed := me
	resumed.LastEventID = m0.ID
	connected, _ := subscribe(t, hub, resumed)
	sameStream(t, "resuming at once", connected.waitN(t, 1), "mark "+m0.ID)

	// The first client disconnects; messages are published meanwhile.
	s.Unsubscribe()
	probe, _ := subscribe(t, hub, bus.Recipient{})
	a := publish(t, hub, bus.ToUser("ann"), "", "a")
	publish(t, hub, bus.ToUser("bob"), "", "not for ann")
	b := publish(t, hub, bus.ToTopic("t"), "", "b")
	publish(t, hub, bus.ToTopic("u"), "", "not for ann")
	c := publish(t, hub, bus.ToAll(), "", "c")
	probe.waitID(t, c) // the hub has routed c: the next mark is at c
	if parseID(t, m0.ID).Compare(parseID(t, a)) >= 0 {
		t.Fatalf("mark %s of the empty hub is not before its first message %s", m0.ID, a)
	}
	sameStream(t, "the connected client", connected.waitN(t, 4), "mark "+m0.ID, a, b, c)
	if msgs, _, _ := first.snapshot(); len(msgs) != 1 {
		t.Fatalf("disconnected client got %q", marked(msgs))
	}

	// It reconnects with the mark: what it missed, exactly once, then a
	// mark where its live feed starts, then the live messages.
	back, _ := subscribe(t, hub, resumed)
	sameStream(t, "reconnected after the mark", back.waitN(t, 4), a, b, c, "mark "+c)
	d := publish(t, hub, bus.ToUser("ann"), "", "d")
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	sameStream(t, "reconnected, then live", back.waitID(t, fence), a, b, c, "mark "+c, d)

	// Resuming after a message, with a mark.
	resumed.LastEventID = a
	again, _ := subscribe(t, hub, resumed)
	sameStream(t, "resuming after a message", again.waitN(t, 5), b, c, d, fence, "mark "+fence)

	// Without Mark, no mark.
	plain, _ := subscribe(t, hub, bus.Recipient{User: "ann", LastEventID: c})
	sameStream(t, "without Mark", plain.waitN(t, 2), d, fence)

	// A mark is never published.
	if _, err := hub.Publish(context.Background(), bus.ToAll(), bus.MarkType, nil); !errors.Is(err, bus.ErrReservedType) {
		t.Fatalf("Publish of type %s: %v, want ErrReservedType", bus.MarkType, err)
	}

	// Typed topics pass the mark on.
	type point struct{ X int }
	points := bus.NewTopic[point](hub, "points")
	typed := make(chan bus.Typed[point], 4)
	ts := points.Subscribe(context.Background(), bus.Recipient{Mark: true}).Subscribe(context.Background(),
		rx.ObserverFuncs[bus.Typed[point]]{OnNext: func(p bus.Typed[point]) { typed <- p }})
	defer ts.Unsubscribe()
	id, err := points.Publish(context.Background(), point{X: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-typed; got.Type != bus.MarkType || got.Value != (point{}) || got.ID != fence {
		t.Fatalf("typed topic: first %+v, want the mark at %s", got, fence)
	}
	if got := <-typed; got.ID != id || got.Value.X != 1 {
		t.Fatalf("typed topic: got %+v, want the point %s", got, id)
	}
}

// testMarkWhilePublishing has clients subscribe with Mark while a publisher
// runs in parallel: each mark must split the client's stream exactly (ids
// up to the mark before it, all later ones after it, the live feed being
// every message after the mark), and resuming after a mark must replay
// exactly the same messages. A mark not taken atomically with the
// registration loses or repeats the messages published in between.
func testMarkWhilePublishing(t *testing.T, hub bus.Hub) {
	const clients, pace = 100, 8
	pub := startPacedPublisher(hub, pace)
	type client struct {
		last string
		rec  *recorder
	}
	cs := make([]client, clients)
	for i := range cs {
		sub := bus.Recipient{User: "u", Mark: true}
		if i%2 == 1 { // half of them resume after the latest message
			_, sub.LastEventID = pub.latest()
		}
		cs[i].last = sub.LastEventID
		cs[i].rec, _ = subscribe(t, hub, sub)
		pub.join()
	}
	all := pub.finish(t) // every message but the fences
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	after := func(id string) []string {
		p := parseID(t, id)
		i := slices.IndexFunc(all, func(x string) bool { return parseID(t, x).Compare(p) > 0 })
		if i < 0 {
			return nil
		}
		return all[i:]
	}
	var marks []string
	for i, c := range cs {
		who := fmt.Sprintf("client %d (Last-Event-ID %q)", i, c.last)
		got := c.rec.waitID(t, fence)
		at := slices.IndexFunc(got, (*bus.Message).IsMark)
		if at < 0 || (c.last == "" && at != 0) {
			t.Fatalf("%s: mark at %d of %d messages", who, at, len(got))
		}
		mark := got[at]
		isMark(t, who, mark)
		m := parseID(t, mark.ID)
		msgs := slices.Delete(slices.Clone(got), at, at+1)
		for j, x := range msgs {
			if before := j < at; (parseID(t, x.ID).Compare(m) <= 0) != before {
				t.Fatalf("%s: message %d, %s, on the wrong side of mark %s (at %d)", who, j, x.ID, mark.ID, at)
			}
		}
		want := after(mark.ID) // the live feed
		if c.last != "" {
			want = after(c.last)
		}
		sameIDs(t, who, msgs, want)
		if i%5 == 0 {
			marks = append(marks, mark.ID)
		}
	}

	// Resuming after a mark replays the live feed it started.
	resumers := make([]*recorder, len(marks))
	for i, m := range marks {
		resumers[i], _ = subscribe(t, hub, bus.Recipient{User: "u", LastEventID: m})
	}
	fence2 := publish(t, hub, bus.ToAll(), "", "fence")
	for i, r := range resumers {
		want := append(slices.Clone(after(marks[i])), fence)
		sameIDs(t, "resuming after mark "+marks[i], r.waitID(t, fence2), want)
	}
}
