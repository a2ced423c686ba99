// Package contracttest checks that an http.Handler serves the benchmark
// contract, so that every server bench measures is held to the same test
// (as testing/slogtest does for slog handlers).
package contracttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// Run checks every route of the contract on h, served over loopback.
func Run(t *testing.T, h http.Handler) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	c := &client{t: t, base: srv.URL, http: srv.Client()}

	t.Run("fanout", func(t *testing.T) {
		c := c.with(t)
		c.waitSubscribers(0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, err := ssetest.Open(ctx, c.http, c.base+contract.PathFanout, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		h := s.Response.Header
		for k, v := range map[string]string{
			"Content-Type":      "text/event-stream",
			"Cache-Control":     "private, no-cache, no-store, must-revalidate, max-age=0, no-transform",
			"X-Accel-Buffering": "no",
		} {
			if got := h.Get(k); got != v {
				t.Errorf("header %s = %q, want %q", k, got, v)
			}
		}
		c.waitSubscribers(1)
		before := time.Now().UnixNano()
		c.post(contract.PathPublish+"?n=3&size=4", http.StatusCreated, `{"published":3}`)
		after := time.Now().UnixNano()
		evs, err := s.ReadN(3)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for i, ev := range evs {
			checkPayload(t, ev.Data, i, 4, before, after)
			if ev.LastEventID == "" || ids[ev.LastEventID] {
				t.Errorf("event %d: id %q missing or repeated", i, ev.LastEventID)
			}
			ids[ev.LastEventID] = true
		}
		s.Close()
		c.waitSubscribers(0)
	})

	t.Run("burst", func(t *testing.T) {
		c := c.with(t)
		s, err := ssetest.Open(context.Background(), c.http, c.base+contract.PathBurst+"?n=5&size=1", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		before := time.Now().Add(-time.Minute).UnixNano()
		evs, err := s.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 5 {
			t.Fatalf("%d events, want 5", len(evs))
		}
		for i, ev := range evs {
			checkPayload(t, ev.Data, i, 1, before, time.Now().UnixNano())
		}
	})

	t.Run("forever", func(t *testing.T) {
		t.Parallel()
		c := c.with(t)
		s, err := ssetest.Open(context.Background(), c.http, c.base+contract.PathForever, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ev, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		var tick struct {
			T   int64 `json:"t"`
			Seq *int  `json:"seq"`
		}
		if err := json.Unmarshal([]byte(ev.Data), &tick); err != nil || tick.Seq == nil || *tick.Seq != 0 || tick.T <= 0 {
			t.Fatalf("first tick %q: %v", ev.Data, err)
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		c := c.with(t)
		c.post(contract.PathPublish+"?n=-1", http.StatusBadRequest, "")
		c.post(contract.PathPublish+"?n=1&size=99999999", http.StatusBadRequest, "")
		resp, err := c.http.Get(c.base + contract.PathBurst + "?n=abc")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("burst?n=abc: status %d, want 400", resp.StatusCode)
		}
	})

	t.Run("stats", func(t *testing.T) {
		c := c.with(t)
		var st contract.Stats
		c.getJSON(contract.PathStats, &st)
		if st.PID != os.Getpid() || st.RSSBytes <= 0 || st.CPUNanos <= 0 || st.Goroutines <= 0 || st.HeapLiveBytes <= 0 {
			t.Errorf("stats = %+v", st)
		}
	})
}

func checkPayload(t *testing.T, data string, seq, size int, from, to int64) {
	t.Helper()
	var p struct {
		T   int64  `json:"t"`
		Seq int    `json:"seq"`
		Pad string `json:"pad"`
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		t.Errorf("event %d: data %q: %v", seq, data, err)
		return
	}
	if p.Seq != seq || p.Pad != strings.Repeat("x", size) || p.T < from || p.T > to {
		t.Errorf("event %d: data %q (t within %d..%d, pad %d bytes)", seq, data, from, to, size)
	}
}

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *client) with(t *testing.T) *client { return &client{t: t, base: c.base, http: c.http} }

func (c *client) post(path string, status int, body string) {
	c.t.Helper()
	resp, err := c.http.Post(c.base+path, "", nil)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || (body != "" && string(b) != body) {
		c.t.Fatalf("POST %s: %d %s, want %d %s", path, resp.StatusCode, b, status, body)
	}
}

func (c *client) getJSON(path string, v any) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

// waitSubscribers polls the subscribers route until it reports k: a stream
// is registered, and unregistered, a little after its request is seen.
func (c *client) waitSubscribers(k int) {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var s contract.Subscribers
		c.getJSON(contract.PathSubscribers, &s)
		if s.Subscribers == k {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatal(fmt.Sprintf("subscribers = %d, want %d", s.Subscribers, k))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
