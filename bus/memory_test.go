package bus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/bustest"
	"github.com/rxsse/rxsse/rx"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMemoryConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) bus.Hub { return bus.NewMemory(nil) })
}

// collect subscribes to obs and returns a function that reports what has
// arrived so far and the stream's error.
func collect(t *testing.T, obs rx.Observable[*bus.Message]) func() ([]string, error) {
	t.Helper()
	var (
		mu   sync.Mutex
		data []string
		err  error
	)
	s := obs.Subscribe(context.Background(), rx.ObserverFuncs[*bus.Message]{
		OnNext:  func(m *bus.Message) { mu.Lock(); data = append(data, string(m.Data)); mu.Unlock() },
		OnError: func(e error) { mu.Lock(); err = e; mu.Unlock() },
	})
	t.Cleanup(s.Unsubscribe)
	return func() ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(data), err
	}
}

func publishN(t *testing.T, hub bus.Hub, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		id, err := hub.Publish(context.Background(), bus.ToAll(), "", []byte(strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestMemoryHistoryCount(t *testing.T) {
	for _, tt := range []struct {
		history   int
		published int
		after     int // index of the Last-Event-ID
		want      []string
		gap       bool
	}{
		{history: 3, published: 5, after: 1, want: []string{"2", "3", "4"}}, // 1 was evicted, but nothing after it
		{history: 3, published: 5, after: 0, gap: true},                     // 1 was evicted
		{history: 3, published: 5, after: 4, want: nil},
		{history: 1, published: 5, after: 3, want: []string{"4"}},
		{history: -1, published: 5, after: 4, want: nil}, // no history: only a client that missed nothing resumes
		{history: -1, published: 5, after: 3, gap: true},
	} {
		t.Run(fmt.Sprintf("%d/%d/%d", tt.history, tt.published, tt.after), func(t *testing.T) {
			hub := bus.NewMemory(&bus.MemoryOptions{History: tt.history})
			defer hub.Close()
			ids := publishN(t, hub, tt.published)
			got, err := collect(t, hub.Subscribe(context.Background(), bus.Recipient{LastEventID: ids[tt.after]}))()
			if tt.gap {
				if !errors.Is(err, bus.ErrReplayGap) || got != nil {
					t.Fatalf("got %q, %v; want ErrReplayGap", got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestMemoryHistoryAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hub := bus.NewMemory(&bus.MemoryOptions{MaxAge: time.Minute})
		defer hub.Close()
		ids := publishN(t, hub, 2) // at 0s
		time.Sleep(40 * time.Second)
		ids = append(ids, publishN(t, hub, 1)...) // at 40s
		resume := func(after int) ([]string, error) {
			return collect(t, hub.Subscribe(context.Background(), bus.Recipient{LastEventID: ids[after]}))()
		}
		if got, err := resume(0); err != nil || !slices.Equal(got, []string{"1", "0"}) {
			t.Fatalf("at 40s, after the first: got %q, %v", got, err)
		}
		time.Sleep(30 * time.Second) // 70s: the first two are older than a minute
		if _, err := resume(0); !errors.Is(err, bus.ErrReplayGap) {
			t.Fatalf("at 70s, after the first: %v, want ErrReplayGap", err)
		}
		// The second one expired too, but nothing after it did.
		if got, err := resume(1); err != nil || !slices.Equal(got, []string{"0"}) {
			t.Fatalf("at 70s, after the second: got %q, %v", got, err)
		}
		time.Sleep(31 * time.Second) // 101s: all expired
		if got, err := resume(2); err != nil || got != nil {
			t.Fatalf("at 101s, after the last: got %q, %v", got, err)
		}
		if _, err := resume(1); !errors.Is(err, bus.ErrReplayGap) {
			t.Fatalf("at 101s, after the second: %v, want ErrReplayGap", err)
		}
	})
}

// An id from another hub (or from before a restart) never resumes.
func TestMemoryIDsDifferAcrossHubs(t *testing.T) {
	a, b := bus.NewMemory(nil), bus.NewMemory(nil)
	defer a.Close()
	defer b.Close()
	ida, idb := publishN(t, a, 1)[0], publishN(t, b, 1)[0]
	if ida == idb {
		t.Fatalf("two hubs gave the same id %s", ida)
	}
	if _, err := collect(t, b.Subscribe(context.Background(), bus.Recipient{LastEventID: ida}))(); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming on b with a's id: %v, want ErrReplayGap", err)
	}
}

// The mark of an empty hub is "<epoch>-0": it resumes on that hub, and
// fails with ErrReplayGap on another (a restarted instance), even one where
// nothing was published either.
func TestMemoryMarkOfEmptyHub(t *testing.T) {
	a, b := bus.NewMemory(nil), bus.NewMemory(nil)
	defer a.Close()
	defer b.Close()
	var mark *bus.Message
	s := a.Subscribe(context.Background(), bus.Recipient{Mark: true}).Subscribe(context.Background(),
		rx.ObserverFuncs[*bus.Message]{OnNext: func(m *bus.Message) { mark = m }})
	s.Unsubscribe()
	first := publishN(t, a, 1)[0]
	epoch, _, _ := strings.Cut(first, "-")
	if want := (bus.Message{ID: epoch + "-0", Type: bus.MarkType}); !mark.IsMark() || mark.ID != want.ID || mark.Data != nil {
		t.Fatalf("mark %+v, want %+v", mark, want)
	}
	if got, err := collect(t, a.Subscribe(context.Background(), bus.Recipient{LastEventID: mark.ID}))(); err != nil || !slices.Equal(got, []string{"0"}) {
		t.Fatalf("resuming after the mark: %q, %v", got, err)
	}
	if _, err := collect(t, b.Subscribe(context.Background(), bus.Recipient{LastEventID: mark.ID}))(); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming on another hub: %v, want ErrReplayGap", err)
	}
}

func TestMemoryCopiesData(t *testing.T) {
	hub := bus.NewMemory(nil)
	defer hub.Close()
	got := collect(t, hub.Subscribe(context.Background(), bus.Recipient{}))
	buf := []byte("first")
	hub.Publish(context.Background(), bus.ToAll(), "", buf)
	copy(buf, "XXXXX")
	if data, _ := got(); !slices.Equal(data, []string{"first"}) {
		t.Fatalf("got %q", data)
	}
}

// An observer that blocks stalls only the goroutine delivering to it:
// publishing to other users goes on.
func TestMemorySlowObserverDoesNotBlockOthers(t *testing.T) {
	hub := bus.NewMemory(nil)
	defer hub.Close()
	ctx := context.Background()
	entered, release := make(chan struct{}), make(chan struct{})
	slow := hub.Subscribe(ctx, bus.Recipient{User: "slow"}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(*bus.Message) { close(entered); <-release },
	})
	defer slow.Unsubscribe()
	fast := collect(t, hub.Subscribe(ctx, bus.Recipient{User: "fast"}))

	stuck := make(chan error)
	go func() {
		_, err := hub.Publish(ctx, bus.ToUser("slow"), "", []byte("x"))
		stuck <- err
	}()
	<-entered
	// A second message to the slow user is queued, not waited for.
	if _, err := hub.Publish(ctx, bus.ToUser("slow"), "", []byte("y")); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := hub.Publish(ctx, bus.ToUser("fast"), "", []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := fast(); !slices.Equal(got, []string{"0", "1", "2"}) {
		t.Fatalf("fast user got %q while the slow one was blocked", got)
	}
	close(release)
	if err := <-stuck; err != nil {
		t.Fatal(err)
	}
}

func TestMemoryCloseCompletesAfterQueued(t *testing.T) {
	hub := bus.NewMemory(nil)
	got := collect(t, hub.Subscribe(context.Background(), bus.Recipient{}))
	publishN(t, hub, 2)
	hub.Close()
	if data, err := got(); err != nil || !slices.Equal(data, []string{"0", "1"}) {
		t.Fatalf("got %q, %v", data, err)
	}
}

func TestAddress(t *testing.T) {
	for _, tt := range []struct {
		a     bus.Address
		valid bool
		str   string
		users []string
	}{
		{bus.ToAll(), true, "all", nil},
		{bus.ToTopic("news"), true, `topic "news"`, nil},
		{bus.ToTopic(""), false, "invalid address", nil},
		{bus.ToUser("a", "b", "a", ""), true, "users a,b", []string{"a", "b"}},
		{bus.ToUser(""), false, "invalid address", nil},
		{bus.ToUser(), false, "invalid address", nil},
		{bus.Address{}, false, "invalid address", nil},
	} {
		if tt.a.Valid() != tt.valid || tt.a.String() != tt.str || !slices.Equal(tt.a.Users(), tt.users) {
			t.Errorf("%v: valid %v, users %q; want %q, %v, %q", tt.a, tt.a.Valid(), tt.a.Users(), tt.str, tt.valid, tt.users)
		}
	}
}

func TestMessageFor(t *testing.T) {
	for _, tt := range []struct {
		m    bus.Message
		user string
		want bool
	}{
		{bus.Message{}, "ann", true},
		{bus.Message{}, "", true},
		{bus.Message{Topic: "t"}, "ann", true},
		{bus.Message{Users: []string{"ann", "bob"}}, "bob", true},
		{bus.Message{Users: []string{"ann"}}, "bob", false},
		{bus.Message{Users: []string{"ann"}}, "", false},
	} {
		if got := tt.m.For(tt.user); got != tt.want {
			t.Errorf("%+v.For(%q) = %v", tt.m, tt.user, got)
		}
	}
}

func TestForUserInPipeline(t *testing.T) {
	src := rx.Of(
		&bus.Message{ID: "1", Users: []string{"bob"}},
		&bus.Message{ID: "2", Users: []string{"ann"}},
		&bus.Message{ID: "3"},
		&bus.Message{ID: "4", Users: []string{"bob", "ann"}},
		&bus.Message{ID: "5", Topic: "t"},
	)
	got, err := rx.Collect(context.Background(), rx.Map(bus.ForUser(src, "ann"), func(m *bus.Message) string { return m.ID }))
	if err != nil || !slices.Equal(got, []string{"2", "3", "4", "5"}) {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestNewTopicPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"nil hub":    func() { bus.NewTopic[int](nil, "t") },
		"empty name": func() { bus.NewTopic[int](bus.NewMemory(nil), "") },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "bus: ") {
					t.Errorf("%s: panic %v, want a bus: panic", name, r)
				}
			}()
			f()
		}()
	}
}
