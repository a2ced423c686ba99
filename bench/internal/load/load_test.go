package load

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bench/internal/baseline"
	"github.com/rxsse/rxsse/bench/internal/contract"
)

func newTarget(t *testing.T, h http.Handler) *Target {
	t.Helper()
	srv := httptest.NewServer(h)
	tg, err := NewTarget("test", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tg.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return tg
}

func TestFanoutBaselineDeliversEverything(t *testing.T) {
	t.Parallel()
	tg := newTarget(t, baseline.New(nil))
	res, err := Fanout(context.Background(), tg, FanoutConfig{Conns: 20, Events: 50, Size: 16, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := Integrity{Complete: 20}
	if res.Integrity != want {
		t.Fatalf("integrity = %+v, want %+v", res.Integrity, want)
	}
	if res.Expected != 1000 || res.Received != 1000 {
		t.Fatalf("received %d of %d, want 1000 of 1000", res.Received, res.Expected)
	}
	if res.Latency.P50 <= 0 || res.Latency.P50 > res.Latency.P99 || res.Latency.P99 > res.Latency.Max {
		t.Fatalf("latency percentiles out of order: %+v", res.Latency)
	}
	if res.EventsPerSec <= 0 || !res.ServerKnown {
		t.Fatalf("events/s %v, server usage known %v", res.EventsPerSec, res.ServerKnown)
	}
	// The run leaves no subscriber behind.
	if err := waitSubscribers(context.Background(), tg, func(k int) bool { return k == 0 }); err != nil {
		t.Fatal(err)
	}
}

// faultyServer speaks the contract but damages chosen streams: stream 0
// skips seq 7, stream 1 sends seq 3 twice, stream 2 swaps seq 4 and 5,
// stream 3 hangs up after seq 9, stream 4 sends a stray seq, and the rest
// are correct.
type faultyServer struct {
	mu      sync.Mutex
	streams []chan []int
}

func (f *faultyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case contract.PathSubscribers:
		f.mu.Lock()
		k := len(f.streams)
		f.mu.Unlock()
		fmt.Fprintf(w, `{"subscribers":%d}`, k)
	case contract.PathPublish:
		n, _, _ := contract.ParseCounts(r)
		f.mu.Lock()
		for i, ch := range f.streams {
			seqs := make([]int, 0, n+1)
			for s := range n {
				seqs = append(seqs, s)
			}
			switch i {
			case 0:
				seqs = append(seqs[:7], seqs[8:]...)
			case 1:
				seqs = append(seqs[:4], seqs[3:]...)
			case 2:
				seqs[4], seqs[5] = seqs[5], seqs[4]
			case 3:
				seqs = append(seqs[:10], -1) // -1: hang up
			case 4:
				seqs = append(seqs, n+5)
			}
			ch <- seqs
		}
		f.mu.Unlock()
		fmt.Fprintf(w, `{"published":%d}`, n)
	case contract.PathFanout:
		ch := make(chan []int, 1)
		f.mu.Lock()
		f.streams = append(f.streams, ch)
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			for i, c := range f.streams {
				if c == ch {
					f.streams = append(f.streams[:i], f.streams[i+1:]...)
					break
				}
			}
			f.mu.Unlock()
		}()
		contract.SetSSEHeaders(w.Header())
		w.Write([]byte("\n"))
		http.NewResponseController(w).Flush()
		select {
		case seqs := <-ch:
			var buf []byte
			for i, s := range seqs {
				if s < 0 {
					w.Write(buf)
					return
				}
				buf = append(buf, "id: "+strconv.Itoa(i+1)+"\ndata: "...)
				buf = contract.AppendPayload(buf, time.Now().UnixNano(), s, 0)
				buf = append(buf, "\n\n"...)
			}
			w.Write(buf)
			http.NewResponseController(w).Flush()
			<-r.Context().Done()
		case <-r.Context().Done():
		}
	default:
		http.NotFound(w, r)
	}
}

func TestFanoutReportsEveryFault(t *testing.T) {
	t.Parallel()
	tg := newTarget(t, &faultyServer{})
	res, err := Fanout(context.Background(), tg, FanoutConfig{Conns: 8, Events: 20, Timeout: 2 * time.Second})
	// Stream 0 never gets seq 7: the run ends on its timeout.
	if err == nil {
		t.Fatal("want a timeout error for the stream that misses an event")
	}
	want := Integrity{
		Complete:     3, // streams 5, 6, 7 (stream 4 has every seq, plus a stray one)
		Missing:      1 + 10,
		Duplicates:   1,
		Reordered:    1,
		Unexpected:   1,
		Disconnected: 1,
	}
	got := res.Integrity
	got.FirstError = ""
	// Streams are numbered in the order the server saw them, which is the
	// order they connected: not the client's order. The totals do not
	// depend on it.
	if got != want {
		t.Fatalf("integrity = %+v, want %+v", got, want)
	}
	if res.Received != 8*20-11 {
		t.Fatalf("received %d, want %d", res.Received, 8*20-11)
	}
	if res.OK(8) {
		t.Fatal("OK on a damaged run")
	}
}

func TestIdleBaselineHoldsConnections(t *testing.T) {
	t.Parallel()
	tg := newTarget(t, baseline.New(nil))
	res, err := Idle(context.Background(), tg, IdleConfig{Conns: 20, Hold: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Connected != 20 || res.Disconnected != 0 || res.Sources != 1 || !res.ServerKnown {
		t.Fatalf("result = %+v", res)
	}
}

func TestDialerSpreadsSources(t *testing.T) {
	t.Parallel()
	tg, err := NewTarget("x", "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDialer(tg, 100_000, 512, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Sources() != 5 || d.sources[4].String() != "127.0.1.5" {
		t.Fatalf("sources = %v", d.sources)
	}
	// A worker process given its first source keeps to its own addresses.
	w, err := newDialer(tg, 15_000, 512, 3)
	if err != nil {
		t.Fatal(err)
	}
	if w.Sources() != 1 || w.sources[0].String() != "127.0.1.4" {
		t.Fatalf("worker sources = %v", w.sources)
	}
	other, _ := NewTarget("y", "http://localhost:1")
	if _, err := newDialer(other, 100_000, 512, 0); err == nil {
		t.Fatal("want an error: several sources need an IPv4 loopback target")
	}
}
