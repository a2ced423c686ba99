package bus_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// A flood of large messages stays within the history's byte limit: 1,100
// messages of 1 MB leave at most HistoryBytes of them alive (a message's data
// counts twice: it is kept as bytes and in its SSE event), not 1,024 MB.
func TestHistoryBoundedByBytes(t *testing.T) {
	hub := bus.NewMemory(&bus.MemoryOptions{HistoryBytes: 16 << 20})
	defer hub.Close()
	ctx := context.Background()
	data := make([]byte, 1_000_000)
	before := liveHeap()
	var ids []string
	for range 1100 {
		id, err := hub.Publish(ctx, bus.ToAll(), "", data)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if grew := int64(liveHeap()) - int64(before); grew > 18<<20 {
		t.Errorf("live heap grew by %d MiB after 1,100 messages of 1 MB, want at most the 16 MiB history and change", grew>>20)
	}
	// The history holds the latest 8: resuming after the 1,092nd replays 8.
	got := 0
	s := hub.Subscribe(ctx, bus.Recipient{LastEventID: ids[len(ids)-9]}).Subscribe(ctx, countMessages(&got))
	s.Unsubscribe()
	if got != 8 {
		t.Errorf("replayed %d messages, want 8", got)
	}
	var gapErr error
	s = hub.Subscribe(ctx, bus.Recipient{LastEventID: ids[len(ids)-10]}).Subscribe(ctx, errorOf(&gapErr))
	s.Unsubscribe()
	if !errors.Is(gapErr, bus.ErrReplayGap) {
		t.Errorf("resuming after a dropped message: %v, want ErrReplayGap", gapErr)
	}
}

// Data over MaxMessageBytes is refused with ErrTooLarge, which a server
// answers 413.
func TestPublishTooLarge(t *testing.T) {
	hub := bus.NewMemory(nil)
	defer hub.Close()
	_, err := hub.Publish(context.Background(), bus.ToAll(), "", make([]byte, bus.DefaultMaxMessageBytes+1))
	if !errors.Is(err, bus.ErrTooLarge) {
		t.Fatalf("Publish: %v, want ErrTooLarge", err)
	}
	if _, err := hub.Publish(context.Background(), bus.ToAll(), "", make([]byte, bus.DefaultMaxMessageBytes)); err != nil {
		t.Fatalf("Publish of the limit: %v", err)
	}
	w := httptest.NewRecorder()
	sse.WriteError(w, httptest.NewRequest("POST", "/", nil), err, nil)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("answered %d %s, want 413", w.Code, w.Body)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// countMessages counts what a subscription delivers.
func countMessages(n *int) rx.Observer[*bus.Message] {
	return rx.ObserverFuncs[*bus.Message]{OnNext: func(*bus.Message) { *n++ }}
}

// errorOf keeps the error a subscription ends with.
func errorOf(err *error) rx.Observer[*bus.Message] {
	return rx.ObserverFuncs[*bus.Message]{OnError: func(e error) { *err = e }}
}
