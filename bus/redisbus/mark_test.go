package redisbus_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
)

// marks lists msgs as their data, a start mark as "mark <id>".
func marks(msgs []*bus.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Data)
		if m.IsMark() {
			out[i] = "mark " + m.ID
		}
	}
	return out
}

// The mark of a stream without entries is "0-0": another instance resumes
// after it with the whole stream, until the stream loses an entry (trimmed,
// or deleted as a whole), from then on with bus.ErrReplayGap.
func TestMarkOfEmptyStream(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	a := newHub(t, url, &redisbus.Options{Stream: stream})
	b := newHub(t, url, &redisbus.Options{Stream: stream})

	onA, s := receive(t, a, bus.Recipient{User: "ann", Mark: true})
	probe, _ := receive(t, b, bus.Recipient{})
	fence := mustPublish(t, a, bus.ToAll(), "fence")
	if got := marks(onA.waitFor(t, fence)); !slices.Equal(got, []string{"mark 0-0", "fence"}) {
		t.Fatalf("on a: got %q", got)
	}
	s.Unsubscribe()
	mustPublish(t, b, bus.ToUser("ann"), "x")
	mustPublish(t, b, bus.ToUser("bob"), "y")
	z := mustPublish(t, a, bus.ToAll(), "z")
	probe.waitFor(t, z) // b's reader is at z: resuming on b replays

	onB, _ := receive(t, b, bus.Recipient{User: "ann", LastEventID: "0-0", Mark: true})
	live := mustPublish(t, a, bus.ToUser("ann"), "live")
	want := []string{"fence", "x", "z", "mark " + z, "live"}
	if got := marks(onB.waitFor(t, live)); !slices.Equal(got, want) {
		t.Fatalf("resuming on b after 0-0: got %q, want %q", got, want)
	}

	opts, _ := redis.ParseURL(url)
	c := redis.NewClient(opts)
	defer c.Close()
	if err := c.XTrimMaxLen(context.Background(), stream, 3).Err(); err != nil {
		t.Fatal(err)
	}
	trimmed, _ := receive(t, b, bus.Recipient{User: "ann", LastEventID: "0-0", Mark: true})
	if err := trimmed.waitErr(t); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming after 0-0 once the stream was trimmed: %v, want ErrReplayGap", err)
	}
	if len(trimmed.msgs) != 0 {
		t.Fatalf("got %q before the gap", marks(trimmed.msgs))
	}

	if err := c.Del(context.Background(), stream).Err(); err != nil {
		t.Fatal(err)
	}
	deleted, _ := receive(t, b, bus.Recipient{LastEventID: "0-0"})
	if err := deleted.waitErr(t); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming after 0-0 once the stream was deleted: %v, want ErrReplayGap", err)
	}
}

// The mark of a client ahead of the Hub's reader is the client's id: the
// live feed starts after it.
func TestMarkOfClientAheadOfReader(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	a := newHub(t, url, &redisbus.Options{Stream: stream})
	b := newHub(t, url, &redisbus.Options{Stream: stream})

	hold, release := holdReader(t, b, a)
	mustPublish(t, a, bus.ToAll(), "1")
	m2 := mustPublish(t, a, bus.ToAll(), "2")
	mustPublish(t, a, bus.ToAll(), "3")

	fromM2, _ := receive(t, b, bus.Recipient{LastEventID: m2, Mark: true})
	fromHold, _ := receive(t, b, bus.Recipient{LastEventID: hold, Mark: true})
	release()
	fence := mustPublish(t, a, bus.ToAll(), "fence")
	if got, want := marks(fromM2.waitFor(t, fence)), []string{"mark " + m2, "3", "fence"}; !slices.Equal(got, want) {
		t.Errorf("ahead of the reader: got %q, want %q", got, want)
	}
	// At the reader's position: no replay, the mark at once.
	if got, want := marks(fromHold.waitFor(t, fence)), []string{"mark " + hold, "1", "2", "3", "fence"}; !slices.Equal(got, want) {
		t.Errorf("at the reader: got %q, want %q", got, want)
	}
}

// An entry of type bus.MarkType added by another client is not a bus
// message: a mark comes only from Subscribe.
func TestForgedMarkSkipped(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	hub := newHub(t, url, &redisbus.Options{Stream: stream, Logger: testLogger(t)})
	r, _ := receive(t, hub, bus.Recipient{})
	opts, _ := redis.ParseURL(url)
	c := redis.NewClient(opts)
	defer c.Close()
	if err := c.XAdd(context.Background(), &redis.XAddArgs{Stream: stream, Values: []any{"d", "", "y", bus.MarkType}}).Err(); err != nil {
		t.Fatal(err)
	}
	fence := mustPublish(t, hub, bus.ToAll(), "fence")
	if got := marks(r.waitFor(t, fence)); !slices.Equal(got, []string{"fence"}) {
		t.Fatalf("got %q", got)
	}
}
