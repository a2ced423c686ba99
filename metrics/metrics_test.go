package metrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/metrics"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func request(pattern string) *http.Request {
	r := httptest.NewRequest("GET", "/push", nil)
	r.Pattern = pattern
	return r
}

// The stream side, driven through sse.Hooks as the stream's writer calls
// it: two routes, a slow client dropped under each policy, a refused
// stream.
func TestStreamMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(m)

	push, sse1 := request("GET /push"), request("GET /sse")
	a := m.Open(push) // completes
	a.Wrote(3, 120)
	a.Wrote(0, 3) // a heartbeat
	a.Closed(sse.Completed)
	b := m.Open(push) // drops its oldest, then leaves
	b.Wrote(1, 40)
	b.Dropped(sse.DropOldest, 2)
	b.Closed(sse.ClientGone)
	c := m.Open(push) // drops the newest
	c.Dropped(sse.DropNewest, 1)
	c.Dropped(sse.DropNewest, 1)
	d := m.Open(push) // disconnected with 5 events queued
	d.Dropped(sse.Disconnect, 5)
	d.Closed(sse.SlowClientDropped)
	e := m.Open(sse1) // still open
	e.Wrote(2, 64)
	m.Rejected(sse1)

	want := `
# HELP rxsse_sse_bytes_written_total Bytes written to clients (after the headers and the first line feed).
# TYPE rxsse_sse_bytes_written_total counter
rxsse_sse_bytes_written_total{route="GET /push"} 163
rxsse_sse_bytes_written_total{route="GET /sse"} 64
# HELP rxsse_sse_dropped_events_total Events a slow client never received, by policy (under Disconnect, those queued when it was dropped).
# TYPE rxsse_sse_dropped_events_total counter
rxsse_sse_dropped_events_total{policy="Disconnect",route="GET /push"} 5
rxsse_sse_dropped_events_total{policy="DropNewest",route="GET /push"} 2
rxsse_sse_dropped_events_total{policy="DropOldest",route="GET /push"} 2
# HELP rxsse_sse_events_written_total Events written to clients (heartbeats excluded).
# TYPE rxsse_sse_events_written_total counter
rxsse_sse_events_written_total{route="GET /push"} 4
rxsse_sse_events_written_total{route="GET /sse"} 2
# HELP rxsse_sse_slow_client_drops_total Times a full queue applied its policy: a dropped event (DropOldest, DropNewest) or a dropped connection (Disconnect).
# TYPE rxsse_sse_slow_client_drops_total counter
rxsse_sse_slow_client_drops_total{policy="Disconnect",route="GET /push"} 1
rxsse_sse_slow_client_drops_total{policy="DropNewest",route="GET /push"} 2
rxsse_sse_slow_client_drops_total{policy="DropOldest",route="GET /push"} 1
# HELP rxsse_sse_streams_closed_total Streams ended, by reason (completed, failed, client_gone, slow_client, shutdown).
# TYPE rxsse_sse_streams_closed_total counter
rxsse_sse_streams_closed_total{reason="client_gone",route="GET /push"} 1
rxsse_sse_streams_closed_total{reason="completed",route="GET /push"} 1
rxsse_sse_streams_closed_total{reason="slow_client",route="GET /push"} 1
# HELP rxsse_sse_streams_open Streams open now.
# TYPE rxsse_sse_streams_open gauge
rxsse_sse_streams_open{route="GET /push"} 1
rxsse_sse_streams_open{route="GET /sse"} 1
# HELP rxsse_sse_streams_opened_total Streams opened.
# TYPE rxsse_sse_streams_opened_total counter
rxsse_sse_streams_opened_total{route="GET /push"} 4
rxsse_sse_streams_opened_total{route="GET /sse"} 1
# HELP rxsse_sse_streams_rejected_total Requests answered 503 because too many streams were open.
# TYPE rxsse_sse_streams_rejected_total counter
rxsse_sse_streams_rejected_total{route="GET /sse"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"rxsse_sse_bytes_written_total", "rxsse_sse_dropped_events_total", "rxsse_sse_events_written_total",
		"rxsse_sse_slow_client_drops_total", "rxsse_sse_streams_closed_total", "rxsse_sse_streams_open",
		"rxsse_sse_streams_opened_total", "rxsse_sse_streams_rejected_total"); err != nil {
		t.Error(err)
	}
}

// Middleware attaches the Collector to the requests it wraps.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	var got sse.Hooks
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = sse.HooksFrom(r.Context()) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got != m {
		t.Errorf("hooks %v, want the collector", got)
	}
}

// The bus side, on a real memory hub: subscribers, publishes, a replay, and
// a replay whose id the history no longer reaches.
func TestHubMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(m)
	mem := bus.NewMemory(&bus.MemoryOptions{History: 2})
	defer mem.Close()
	hub := m.Hub(mem)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	var ids []string
	got := make(chan []*bus.Message, 1)
	go func() {
		msgs, _ := rx.Collect(ctx, rx.Take(hub.Subscribe(ctx, bus.Recipient{}), 3))
		got <- msgs
	}()
	waitSubscribers(t, hub, 1)
	for _, d := range []string{"a", "b", "c"} {
		id, err := hub.Publish(ctx, bus.ToAll(), "", []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if msgs := <-got; len(msgs) != 3 {
		t.Fatalf("live subscriber got %d messages", len(msgs))
	}
	// A replay after "b" gets "c" (the history keeps "b" and "c"). Once "d"
	// is published, "b" is forgotten: a replay after "a" fails.
	replayed, err := rx.Collect(ctx, rx.Take(hub.Subscribe(ctx, bus.Recipient{LastEventID: ids[1]}), 1))
	if err != nil || len(replayed) != 1 || string(replayed[0].Data) != "c" {
		t.Fatalf("replay: %v %v", replayed, err)
	}
	if _, err := hub.Publish(ctx, bus.ToAll(), "", []byte("d")); err != nil {
		t.Fatal(err)
	}
	_, err = rx.Collect(ctx, hub.Subscribe(ctx, bus.Recipient{LastEventID: ids[0]}))
	if !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("replay after a forgotten id: %v", err)
	}
	waitSubscribers(t, hub, 0)

	want := `
# HELP rxsse_bus_publishes_total Publishes, by result (ok, error).
# TYPE rxsse_bus_publishes_total counter
rxsse_bus_publishes_total{result="ok"} 4
# HELP rxsse_bus_replay_gaps_total Subscriptions that could not resume: the history no longer reached back to their Last-Event-ID.
# TYPE rxsse_bus_replay_gaps_total counter
rxsse_bus_replay_gaps_total 1
# HELP rxsse_bus_replays_total Subscriptions that resumed after a Last-Event-ID.
# TYPE rxsse_bus_replays_total counter
rxsse_bus_replays_total 2
# HELP rxsse_bus_subscriptions Bus subscriptions open now.
# TYPE rxsse_bus_subscriptions gauge
rxsse_bus_subscriptions 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rxsse_bus_publishes_total",
		"rxsse_bus_replay_gaps_total", "rxsse_bus_replays_total", "rxsse_bus_subscriptions"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(m, "rxsse_bus_publish_duration_seconds"); n != 1 {
		t.Errorf("%d publish duration series", n)
	}
	// A publish that fails is counted as such.
	mem.Close()
	if _, err := hub.Publish(ctx, bus.ToAll(), "", nil); err == nil {
		t.Fatal("publish on a closed hub")
	}
	want = `
# HELP rxsse_bus_publishes_total Publishes, by result (ok, error).
# TYPE rxsse_bus_publishes_total counter
rxsse_bus_publishes_total{result="error"} 1
rxsse_bus_publishes_total{result="ok"} 4
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rxsse_bus_publishes_total"); err != nil {
		t.Error(err)
	}
}

func waitSubscribers(t *testing.T, hub bus.Hub, n int) {
	t.Helper()
	s := hub.(interface{ Subscribers() int })
	deadline := time.Now().Add(5 * time.Second)
	for s.Subscribers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers, want %d", s.Subscribers(), n)
		}
		time.Sleep(time.Millisecond)
	}
}
