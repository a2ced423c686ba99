package metrics_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/metrics"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// value returns the value of the series of name whose labels include
// labels (pairs), or 0 when there is none.
func value(t *testing.T, reg prometheus.Gatherer, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			for i := 0; i < len(labels); i += 2 {
				if !hasLabel(m, labels[i], labels[i+1]) {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			}
		}
	}
	return 0
}

func hasLabel(m *dto.Metric, name, v string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == v {
			return true
		}
	}
	return false
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The scripted scenario on real streams: a client reads three messages
// and leaves; three clients that do not read are dropped by each policy; a
// client resumes after an id the history has forgotten; a stream is refused
// over the limit.
func TestEndToEnd(t *testing.T) {
	m := metrics.New(nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(m)
	mem := bus.NewMemory(&bus.MemoryOptions{History: 4})
	defer mem.Close()
	hub := m.Hub(mem)

	mux := http.NewServeMux()
	quiet := slog.New(slog.DiscardHandler) // the drops are logged as warnings
	route := func(pattern string, opts *sse.Options) {
		opts.Logger = quiet
		mux.Handle(pattern, sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[*bus.Message], error) {
			return hub.Subscribe(r.Context(), bus.Recipient{LastEventID: sse.LastEventID(r)}), nil
		}, opts))
	}
	route("GET /live", &sse.Options{Heartbeat: -1})
	route("GET /disconnect", &sse.Options{Heartbeat: -1, QueueSize: 4, SlowClient: sse.Disconnect})
	route("GET /drop-oldest", &sse.Options{Heartbeat: -1, QueueSize: 4, SlowClient: sse.DropOldest})
	route("GET /drop-newest", &sse.Options{Heartbeat: -1, QueueSize: 4, SlowClient: sse.DropNewest})
	route("GET /limited", &sse.Options{Heartbeat: -1, MaxStreams: 1})
	srv := ssetest.NewServer(t, m.Middleware(mux))
	subscribers := func() int { return mem.Subscribers() }

	open := func(path string, header ...string) (*http.Response, context.CancelFunc) {
		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, cancel
	}

	// 1. A client reads three messages, then leaves.
	resp, leave := open("/live")
	body := &countingReader{r: resp.Body}
	eventually(t, "the live subscriber", func() bool { return subscribers() == 1 })
	var first string
	for i := range 3 {
		id, err := hub.Publish(t.Context(), bus.ToAll(), "", []byte(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = id
		}
	}
	if _, err := ssetest.NewReader(body).ReadN(3); err != nil {
		t.Fatal(err)
	}
	leave()
	resp.Body.Close()
	eventually(t, "the live stream's end", func() bool { return value(t, reg, "rxsse_sse_streams_open", "route", "GET /live") == 0 })
	if got, want := value(t, reg, "rxsse_sse_bytes_written_total", "route", "GET /live"), float64(body.n.Load()-1); got != want {
		t.Errorf("bytes written %v, want %v (what the client read, but the first line feed)", got, want)
	}

	// 2. Three clients that do not read, one per policy.
	const n, size = 300, 64 << 10
	slow := map[string]*http.Response{}
	for _, p := range []string{"/disconnect", "/drop-oldest", "/drop-newest"} {
		resp, cancel := open(p)
		defer cancel()
		defer resp.Body.Close()
		slow[p] = resp
	}
	eventually(t, "the slow subscribers", func() bool { return subscribers() == 3 })
	pad := strings.Repeat("x", size)
	for i := range n {
		if _, err := hub.Publish(t.Context(), bus.ToAll(), "", []byte(fmt.Sprintf("%d %s", i, pad))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the disconnection", func() bool {
		return value(t, reg, "rxsse_sse_streams_closed_total", "route", "GET /disconnect", "reason", "slow_client") == 1
	})
	// The dropping clients now read all that is left.
	for _, p := range []string{"/drop-oldest", "/drop-newest"} {
		var read atomic.Int64
		done := make(chan struct{})
		go func() {
			defer close(done)
			r := ssetest.NewReader(slow[p].Body)
			for {
				if _, err := r.Next(); err != nil {
					return
				}
				read.Add(1)
			}
		}()
		route := "GET " + p
		eventually(t, p+": every event written or dropped, and read", func() bool {
			written := value(t, reg, "rxsse_sse_events_written_total", "route", route)
			return written+value(t, reg, "rxsse_sse_dropped_events_total", "route", route) == n && float64(read.Load()) == written
		})
		slow[p].Body.Close()
		<-done
		policy := map[string]string{"/drop-oldest": "DropOldest", "/drop-newest": "DropNewest"}[p]
		if d := value(t, reg, "rxsse_sse_dropped_events_total", "route", route, "policy", policy); d == 0 {
			t.Errorf("%s: nothing dropped", p)
		}
	}
	if v := value(t, reg, "rxsse_sse_slow_client_drops_total", "route", "GET /disconnect", "policy", "Disconnect"); v != 1 {
		t.Errorf("disconnections %v, want 1", v)
	}
	eventually(t, "the slow streams' end", func() bool { return subscribers() == 0 })

	// 3. A client resumes after an id the history no longer has: the
	// stream fails before its headers, with a 500.
	resp, leave = open("/live", "Last-Event-ID", first)
	io.Copy(io.Discard, resp.Body)
	leave()
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("resuming after a forgotten id: %d", resp.StatusCode)
	}
	eventually(t, "the failed stream's end", func() bool {
		return value(t, reg, "rxsse_sse_streams_closed_total", "route", "GET /live", "reason", "failed") == 1
	})

	// 4. A second stream over MaxStreams is refused.
	resp, leave = open("/limited")
	eventually(t, "the limited stream", func() bool { return subscribers() == 1 })
	resp2, leave2 := open("/limited")
	io.Copy(io.Discard, resp2.Body)
	resp2.Body.Close()
	leave2()
	leave()
	resp.Body.Close()
	if resp2.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("second limited stream: %d", resp2.StatusCode)
	}
	eventually(t, "every stream's end", func() bool { return subscribers() == 0 })

	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"rxsse_sse_streams_opened_total", []string{"route", "GET /live"}, 2},
		{"rxsse_sse_events_written_total", []string{"route", "GET /live"}, 3},
		{"rxsse_sse_streams_closed_total", []string{"route", "GET /live", "reason", "client_gone"}, 1},
		{"rxsse_sse_streams_closed_total", []string{"route", "GET /live", "reason", "failed"}, 1},
		{"rxsse_sse_streams_closed_total", []string{"route", "GET /disconnect", "reason", "slow_client"}, 1},
		{"rxsse_sse_streams_rejected_total", []string{"route", "GET /limited"}, 1},
		{"rxsse_sse_streams_opened_total", []string{"route", "GET /limited"}, 1},
		{"rxsse_bus_publishes_total", []string{"result", "ok"}, 3 + n},
		{"rxsse_bus_replays_total", nil, 1},
		{"rxsse_bus_replay_gaps_total", nil, 1},
		{"rxsse_bus_subscriptions", nil, 0},
	} {
		if got := value(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, p := range []string{"GET /live", "GET /disconnect", "GET /drop-oldest", "GET /drop-newest", "GET /limited"} {
		if v := value(t, reg, "rxsse_sse_streams_open", "route", p); v != 0 {
			t.Errorf("%s: %v streams open", p, v)
		}
	}
}
