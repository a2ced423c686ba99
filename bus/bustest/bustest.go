// Package bustest checks that a bus.Hub keeps the promises of the bus
// package, as testing/slogtest does for slog handlers: run it from a test of
// every backend.
//
//	func TestConformance(t *testing.T) {
//		bustest.Run(t, func(t *testing.T) bus.Hub { return bus.NewMemory(nil) })
//	}
//
// The suite checks ordering (ids that order as published), broadcasts,
// topics, per-user isolation over many users and messages (several
// connections per user), replay after a Last-Event-ID without gap or
// duplicate (also while messages flow), ErrReplayGap, start marks (resuming
// after a mark loses and repeats nothing, also while messages flow), typed
// topics, cleanup (nothing stays registered once a stream ends), Close, and
// publishers and subscribers that come and go concurrently (run it with
// -race).
//
// newHub must return a new, empty hub whose history holds at least 1,000
// messages; the suite closes it when the subtest ends. Hubs with a
// Subscribers() int method (as bus.Memory and redisbus.Hub have) are also
// checked for cleanup. Delivery may be asynchronous: the suite waits for
// messages (up to 20 s each), and uses a final broadcast as a fence before
// asserting that nothing else arrived.
package bustest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/streamid"
	"github.com/rxsse/rxsse/rx"
)

// Run runs the conformance suite against the hubs newHub makes, one per
// subtest.
func Run(t *testing.T, newHub func(t *testing.T) bus.Hub) {
	tests := []struct {
		name string
		run  func(t *testing.T, hub bus.Hub)
	}{
		{"IDsAreOrdered", testIDsAreOrdered},
		{"Broadcast", testBroadcast},
		{"Topics", testTopics},
		{"UserIsolation", testUserIsolation},
		{"InvalidAddress", testInvalidAddress},
		{"Replay", testReplay},
		{"ReplayWhilePublishing", testReplayWhilePublishing},
		{"ReplayGap", testReplayGap},
		{"Mark", testMark},
		{"MarkWhilePublishing", testMarkWhilePublishing},
		{"Cleanup", testCleanup},
		{"ReentrantPublish", testReentrantPublish},
		{"Topic", testTopic},
		{"Concurrent", testConcurrent},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub := newHub(t)
			t.Cleanup(func() { hub.Close() })
			tt.run(t, hub)
		})
	}
}

// counter is the optional interface that lets the suite check cleanup.
type counter interface{ Subscribers() int }

func parseID(t testing.TB, id string) streamid.ID {
	t.Helper()
	p, err := streamid.Parse(id)
	if err != nil {
		t.Fatalf("id %q is not of the form <n>-<n>", id)
	}
	return p
}

// increasing fails unless the ids of msgs strictly increase.
func increasing(t testing.TB, who string, msgs []*bus.Message) {
	t.Helper()
	for i := 1; i < len(msgs); i++ {
		if parseID(t, msgs[i-1].ID).Compare(parseID(t, msgs[i].ID)) >= 0 {
			t.Fatalf("%s: message %d has id %s, not after %s", who, i, msgs[i].ID, msgs[i-1].ID)
		}
	}
}

func testIDsAreOrdered(t *testing.T, hub bus.Hub) {
	var prev streamid.ID
	for i := range 50 {
		id := parseID(t, publish(t, hub, bus.ToAll(), "", strconv.Itoa(i)))
		if i > 0 && prev.Compare(id) >= 0 {
			t.Fatalf("publish %d got id %v, not after %v", i, id, prev)
		}
		prev = id
	}
}

func testBroadcast(t *testing.T, hub bus.Hub) {
	subs := []bus.Recipient{{User: "ann"}, {User: "bob"}, {User: "ann"}, {Topics: []string{"t"}}, {}}
	recs := make([]*recorder, len(subs))
	for i, s := range subs {
		recs[i], _ = subscribe(t, hub, s)
	}
	var want []string
	for i := range 10 {
		want = append(want, publish(t, hub, bus.ToAll(), "tick", strconv.Itoa(i)))
	}
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	for i, r := range recs {
		got := r.waitID(t, fence)
		sameIDs(t, fmt.Sprintf("subscriber %d", i), got, want)
		for j, m := range got {
			if m.Type != "tick" || string(m.Data) != strconv.Itoa(j) || m.Topic != "" || len(m.Users) != 0 {
				t.Fatalf("subscriber %d, message %d: got %+v", i, j, m)
			}
		}
	}
}

func testTopics(t *testing.T, hub bus.Hub) {
	xy, _ := subscribe(t, hub, bus.Recipient{Topics: []string{"x", "y", "x"}})
	y, _ := subscribe(t, hub, bus.Recipient{User: "ann", Topics: []string{"y"}})
	none, _ := subscribe(t, hub, bus.Recipient{User: "x"}) // a user named like a topic gets nothing of it
	x1 := publish(t, hub, bus.ToTopic("x"), "", "x1")
	y1 := publish(t, hub, bus.ToTopic("y"), "", "y1")
	publish(t, hub, bus.ToTopic("z"), "", "z1")
	x2 := publish(t, hub, bus.ToTopic("x"), "", "x2")
	fence := publish(t, hub, bus.ToAll(), "", "fence")

	got := xy.waitID(t, fence)
	sameIDs(t, "subscriber of x and y", got, []string{x1, y1, x2})
	if got[0].Topic != "x" || string(got[0].Data) != "x1" || got[1].Topic != "y" {
		t.Fatalf("subscriber of x and y: got %+v", got)
	}
	sameIDs(t, "subscriber of y", y.waitID(t, fence), []string{y1})
	sameIDs(t, "subscriber of nothing", none.waitID(t, fence), nil)
}

// testUserIsolation publishes many messages to single users, to sets of users
// and to everyone, and checks that every connection gets exactly its user's
// share, in order.
func testUserIsolation(t *testing.T, hub bus.Hub) {
	const users, tabs, anonymous, messages = 40, 2, 3, 600
	type conn struct {
		user string
		rec  *recorder
		want []string
	}
	var conns []*conn
	for u := range users {
		for range tabs {
			c := &conn{user: "user-" + strconv.Itoa(u)}
			c.rec, _ = subscribe(t, hub, bus.Recipient{User: c.user})
			conns = append(conns, c)
		}
	}
	for range anonymous {
		c := &conn{}
		c.rec, _ = subscribe(t, hub, bus.Recipient{})
		conns = append(conns, c)
	}
	for i := range messages {
		var to []string
		switch {
		case i%25 == 0: // everyone
		case i%10 == 0:
			to = []string{"user-" + strconv.Itoa(i*7%users), "user-" + strconv.Itoa(i*11%users), "nobody"}
		default:
			to = []string{"user-" + strconv.Itoa(i*7%users)}
		}
		addr := bus.ToAll()
		if to != nil {
			addr = bus.ToUser(to...)
		}
		id := publish(t, hub, addr, "", strconv.Itoa(i))
		for _, c := range conns {
			if to == nil || slices.Contains(to, c.user) {
				c.want = append(c.want, id)
			}
		}
	}
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	for i, c := range conns {
		got := c.rec.waitID(t, fence)
		sameIDs(t, fmt.Sprintf("connection %d of user %q", i, c.user), got, c.want)
		for _, m := range got {
			if !m.For(c.user) {
				t.Fatalf("connection of user %q got a message for %v", c.user, m.Users)
			}
		}
	}
}

func testInvalidAddress(t *testing.T, hub bus.Hub) {
	rec, _ := subscribe(t, hub, bus.Recipient{User: "ann"})
	for _, to := range []bus.Address{{}, bus.ToUser(), bus.ToUser(""), bus.ToTopic("")} {
		if _, err := hub.Publish(context.Background(), to, "", []byte("x")); !errors.Is(err, bus.ErrAddress) {
			t.Errorf("Publish(%v) = %v, want ErrAddress", to, err)
		}
	}
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	sameIDs(t, "subscriber", rec.waitID(t, fence), nil)
}

func testReplay(t *testing.T, hub bus.Hub) {
	me := bus.Recipient{User: "ann", Topics: []string{"t"}}
	type pub struct {
		to   bus.Address
		mine bool
	}
	pubs := []pub{
		{bus.ToAll(), true}, {bus.ToUser("ann"), true}, {bus.ToUser("bob"), false}, {bus.ToTopic("t"), true},
		{bus.ToTopic("u"), false}, {bus.ToUser("bob", "ann"), true}, {bus.ToAll(), true}, {bus.ToTopic("t"), true},
	}
	var all []string
	var mine []int // indexes in all of the messages for me
	for i, p := range pubs {
		all = append(all, publish(t, hub, p.to, "", strconv.Itoa(i)))
		if p.mine {
			mine = append(mine, i)
		}
	}
	for after := range len(all) {
		var want []string
		for _, i := range mine {
			if i > after {
				want = append(want, all[i])
			}
		}
		sub := me
		sub.LastEventID = all[after]
		rec, s := subscribe(t, hub, sub)
		rec.waitUntil(t, "the replay", func(msgs []*bus.Message, err error, _ bool) bool {
			return len(msgs) >= len(want) || err != nil
		})
		msgs, err, _ := rec.snapshot()
		if err != nil {
			t.Fatalf("after %s: stream failed: %v", all[after], err)
		}
		sameIDs(t, "replay after "+all[after], msgs, want)
		s.Unsubscribe()
	}

	// Replay, then live, on one stream.
	sub := me
	sub.LastEventID = all[2]
	rec, _ := subscribe(t, hub, sub)
	live := publish(t, hub, bus.ToUser("ann"), "", "live")
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	var want []string
	for _, i := range mine {
		if i > 2 {
			want = append(want, all[i])
		}
	}
	sameIDs(t, "replay then live", rec.waitID(t, fence), append(want, live))
}

// testReplayWhilePublishing has clients resume while a publisher runs in
// parallel: each must get exactly the messages after its id, whether
// replayed or live, with no gap or duplicate where the two meet.
func testReplayWhilePublishing(t *testing.T, hub bus.Hub) {
	const clients, pace = 150, 8
	pub := startPacedPublisher(hub, pace)
	type client struct {
		after int
		rec   *recorder
	}
	var cs []client
	for len(cs) < clients {
		i, last := pub.latest()
		if i < 0 {
			runtime.Gosched()
			continue
		}
		rec, _ := subscribe(t, hub, bus.Recipient{User: "u", LastEventID: last})
		cs = append(cs, client{after: i, rec: rec})
		pub.join()
	}
	ids := pub.finish(t)
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	for _, c := range cs {
		sameIDs(t, fmt.Sprintf("client resuming after message %d", c.after), c.rec.waitID(t, fence), ids[c.after+1:])
	}
}

func testReplayGap(t *testing.T, hub bus.Hub) {
	publish(t, hub, bus.ToAll(), "", "one")
	for _, id := range []string{"1-0", "not an id"} {
		rec, _ := subscribe(t, hub, bus.Recipient{User: "ann", LastEventID: id})
		err := rec.waitEnd(t)
		if !errors.Is(err, bus.ErrReplayGap) {
			t.Fatalf("Last-Event-ID %q: stream ended with %v, want ErrReplayGap", id, err)
		}
		if msgs, _, _ := rec.snapshot(); len(msgs) != 0 {
			t.Fatalf("Last-Event-ID %q: got %s before the error", id, ids(msgs))
		}
	}
	waitSubscribers(t, hub, 0)
}

// waitSubscribers waits until hub reports n subscribers: the teardown that
// a cancelled context triggers runs on another goroutine, soon after.
func waitSubscribers(t *testing.T, hub bus.Hub, n int) {
	t.Helper()
	c, ok := hub.(counter)
	if !ok {
		return
	}
	deadline := time.Now().Add(waitTimeout)
	for c.Subscribers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("hub has %d subscribers, want %d", c.Subscribers(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func testCleanup(t *testing.T, hub bus.Hub) {
	c, ok := hub.(counter)
	if !ok {
		t.Skip("hub has no Subscribers method")
	}
	count := func(want int) {
		t.Helper()
		if got := c.Subscribers(); got != want {
			t.Fatalf("Subscribers() = %d, want %d", got, want)
		}
	}
	ctx := context.Background()
	sub := bus.Recipient{User: "ann", Topics: []string{"a", "b"}}

	// Unsubscribe: gone before Unsubscribe returns, and nothing more arrives.
	rec, s := subscribe(t, hub, sub)
	count(1)
	s.Unsubscribe()
	count(0)
	probe, _ := subscribe(t, hub, bus.Recipient{})
	publish(t, hub, bus.ToUser("ann"), "", "late")
	publish(t, hub, bus.ToTopic("a"), "", "late")
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	probe.waitID(t, fence)
	if msgs, _, _ := rec.snapshot(); len(msgs) != 0 {
		t.Fatalf("unsubscribed observer got %s", ids(msgs))
	}
	count(1) // the probe

	// Cancelling the subscription's context.
	sctx, cancel := context.WithCancel(ctx)
	hub.Subscribe(ctx, sub).Subscribe(sctx, newRecorder())
	count(2)
	cancel()
	waitSubscribers(t, hub, 1)

	// Cancelling the context given to Hub.Subscribe completes the stream.
	hctx, hcancel := context.WithCancel(ctx)
	rec = newRecorder()
	hub.Subscribe(hctx, sub).Subscribe(ctx, rec)
	hcancel()
	if err := rec.waitEnd(t); err != nil {
		t.Fatalf("stream ended with %v after its context was cancelled, want completion", err)
	}
	waitSubscribers(t, hub, 1)

	// Completion downstream (Take) unsubscribes.
	rec = newRecorder()
	rx.Take(hub.Subscribe(ctx, sub), 1).Subscribe(ctx, rec)
	publish(t, hub, bus.ToUser("ann"), "", "one")
	rec.waitEnd(t)
	waitSubscribers(t, hub, 1)

	// Many at once.
	var subs []rx.Subscription
	for i := range 100 {
		_, s := subscribe(t, hub, bus.Recipient{User: "u" + strconv.Itoa(i%10), Topics: []string{"t" + strconv.Itoa(i%3)}})
		subs = append(subs, s)
	}
	count(101)
	for i, s := range subs {
		if i%2 == 0 {
			s.Unsubscribe()
		}
	}
	count(51)
	for _, s := range subs {
		s.Unsubscribe()
	}
	count(1)
}

// testReentrantPublish publishes from inside an observer: the hub must not
// deadlock, and order still holds.
func testReentrantPublish(t *testing.T, hub bus.Hub) {
	ctx := context.Background()
	pongs := make(chan error, 1)
	s := hub.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) {
			if string(m.Data) == "ping" {
				_, err := hub.Publish(ctx, bus.ToAll(), "", []byte("pong"))
				pongs <- err
			}
		},
	})
	defer s.Unsubscribe()
	rec, _ := subscribe(t, hub, bus.Recipient{})
	ping := publish(t, hub, bus.ToAll(), "", "ping")
	msgs := rec.waitID(t, publishAfter(t, hub, pongs))
	if len(msgs) < 2 || msgs[0].ID != ping || string(msgs[1].Data) != "pong" {
		t.Fatalf("got %s, want ping then pong", ids(msgs))
	}
}

// publishAfter waits for the reentrant publish to finish and publishes a
// fence.
func publishAfter(t *testing.T, hub bus.Hub, errs chan error) string {
	t.Helper()
	if err := <-errs; err != nil {
		t.Fatalf("Publish from an observer: %v", err)
	}
	return publish(t, hub, bus.ToAll(), "", "fence")
}

func testTopic(t *testing.T, hub bus.Hub) {
	type point struct {
		X, Y int
		Tag  string `json:"tag"`
	}
	ctx := context.Background()
	points := bus.NewTopic[point](hub, "points")
	rec := make(chan bus.Typed[point], 10)
	errs := make(chan error, 1)
	s := points.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[bus.Typed[point]]{
		OnNext:  func(p bus.Typed[point]) { rec <- p },
		OnError: func(err error) { errs <- err },
	})
	defer s.Unsubscribe()
	publish(t, hub, bus.ToUser("ann"), "", `{"X":9}`) // not on the topic
	id, err := points.Publish(ctx, point{X: 1, Y: 2, Tag: "<a&b>"})
	if err != nil {
		t.Fatal(err)
	}
	got := <-rec
	if want := (point{X: 1, Y: 2, Tag: "<a&b>"}); got.ID != id || got.Type != "" || got.Value != want {
		t.Fatalf("got %+v, want id %s and %+v", got, id, want)
	}
	// Its event is the message as published, the data the JSON of the value.
	if ev := got.Event(); ev.ID == nil || *ev.ID != id || ev.Data != `{"X":1,"Y":2,"tag":"<a&b>"}` {
		t.Fatalf("event of the value: id %v, data %v", ev.ID, ev.Data)
	}

	// The wire form is JSON.
	raw, _ := subscribe(t, hub, bus.Recipient{Topics: []string{"points"}})
	id, _ = points.PublishType(ctx, "moved", point{X: 3})
	m := raw.waitID(t, publish(t, hub, bus.ToAll(), "", "fence"))
	if len(m) != 1 || m[0].ID != id || m[0].Type != "moved" || string(m[0].Data) != `{"X":3,"Y":0,"tag":""}` {
		t.Fatalf("raw message: %+v", m)
	}
	if got := <-rec; got.Type != "moved" || got.Value.X != 3 {
		t.Fatalf("got %+v", got)
	}

	// A message that is not a point fails the typed stream.
	publish(t, hub, bus.ToTopic("points"), "", "not json")
	if err := <-errs; err == nil {
		t.Fatal("no error for an undecodable message")
	}
}

// testConcurrent runs publishers while subscribers come and go, some
// resuming from an id: every stream must see increasing ids, no duplicate,
// and the steady subscribers everything addressed to them.
func testConcurrent(t *testing.T, hub bus.Hub) {
	const publishers, perPublisher, churners, rounds, users = 4, 150, 4, 20, 4
	ctx := context.Background()
	type steady struct {
		user string
		rec  *recorder
	}
	var steadies []steady
	for u := range users {
		s := steady{user: "u" + strconv.Itoa(u)}
		s.rec, _ = subscribe(t, hub, bus.Recipient{User: s.user, Topics: []string{"t"}})
		steadies = append(steadies, s)
	}

	var (
		mu     sync.Mutex
		sent   = map[string][]string{} // user ("" = everyone) → ids
		lastID string
	)
	var wg sync.WaitGroup
	errs := make(chan error, publishers+churners)
	for p := range publishers {
		wg.Go(func() {
			for i := range perPublisher {
				to, key := bus.ToAll(), ""
				if i%3 != 0 {
					key = "u" + strconv.Itoa((p+i)%users)
					to = bus.ToUser(key)
				}
				id, err := hub.Publish(ctx, to, "", fmt.Appendf(nil, "%d/%d", p, i))
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				sent[key] = append(sent[key], id)
				lastID = id
				mu.Unlock()
			}
		})
	}
	for c := range churners {
		wg.Go(func() {
			for i := range rounds {
				sub := bus.Recipient{User: "u" + strconv.Itoa((c+i)%users)}
				if i%2 == 1 {
					mu.Lock()
					sub.LastEventID = lastID
					mu.Unlock()
				}
				rec := newRecorder()
				s := hub.Subscribe(ctx, sub).Subscribe(ctx, rec)
				for range 3 {
					hub.Publish(ctx, bus.ToUser(sub.User), "", []byte("churn"))
				}
				s.Unsubscribe()
				msgs, err, _ := rec.snapshot()
				if err != nil {
					errs <- fmt.Errorf("churning subscriber: %w", err)
					return
				}
				seen := map[string]bool{}
				for j, m := range msgs {
					if seen[m.ID] {
						errs <- fmt.Errorf("churning subscriber got %s twice", m.ID)
						return
					}
					seen[m.ID] = true
					if j > 0 && streamid.MustParse(msgs[j-1].ID).Compare(streamid.MustParse(m.ID)) >= 0 {
						errs <- fmt.Errorf("churning subscriber got %s after %s", m.ID, msgs[j-1].ID)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	fence := publish(t, hub, bus.ToAll(), "", "fence")
	for _, s := range steadies {
		got := s.rec.waitID(t, fence)
		increasing(t, "steady subscriber "+s.user, got)
		var want []string
		for _, m := range got {
			if string(m.Data) != "churn" {
				want = append(want, m.ID)
			}
		}
		mu.Lock()
		expect := append(slices.Clone(sent[""]), sent[s.user]...)
		mu.Unlock()
		slices.SortFunc(expect, func(a, b string) int { return streamid.MustParse(a).Compare(streamid.MustParse(b)) })
		if !slices.Equal(want, expect) {
			t.Fatalf("steady subscriber %s: got %d messages, want %d", s.user, len(want), len(expect))
		}
		// Each publisher's messages arrive in the order it sent them.
		next := map[string]int{}
		for _, m := range got {
			var p, i int
			if _, err := fmt.Sscanf(string(m.Data), "%d/%d", &p, &i); err != nil {
				continue
			}
			key := strconv.Itoa(p)
			if i < next[key] {
				t.Fatalf("steady subscriber %s: publisher %d's message %d after %d", s.user, p, i, next[key])
			}
			next[key] = i + 1
		}
	}
	waitSubscribers(t, hub, users)
}

func testClose(t *testing.T, hub bus.Hub) {
	ctx := context.Background()
	rec, _ := subscribe(t, hub, bus.Recipient{User: "ann"})
	id := publish(t, hub, bus.ToAll(), "", "before")
	rec.waitID(t, id)
	if err := hub.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := rec.waitEnd(t); err != nil {
		t.Fatalf("stream ended with %v at Close, want completion", err)
	}
	if _, err := hub.Publish(ctx, bus.ToAll(), "", []byte("after")); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("Publish after Close: %v, want ErrClosed", err)
	}
	late := newRecorder()
	hub.Subscribe(ctx, bus.Recipient{}).Subscribe(ctx, late)
	if err := late.waitEnd(t); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("Subscribe after Close: stream ended with %v, want ErrClosed", err)
	}
	if err := hub.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if c, ok := hub.(counter); ok && c.Subscribers() != 0 {
		t.Fatalf("Subscribers() = %d after Close", c.Subscribers())
	}
}
