package redisbus_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testlog"
	"github.com/rxsse/rxsse/sse"
)

// With its Redis killed, a hub's publishes fail at once with an error that
// a server answers 503 with Retry-After, and one warning is logged for the
// whole outage, not one per publish; once Redis is back, publishes succeed
// and one line says so.
func TestPublishDuringOutage(t *testing.T) {
	srv := startRedis(t)
	var logs testlog.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	hub := newHub(t, srv.url(), &redisbus.Options{Logger: logger, PublishTimeout: time.Second})
	ctx := context.Background()
	if _, err := hub.Publish(ctx, bus.ToAll(), "", []byte("before")); err != nil {
		t.Fatal(err)
	}
	srv.kill()
	for i := range 5 {
		start := time.Now()
		_, err := hub.Publish(ctx, bus.ToAll(), "", []byte("during"))
		if !errors.Is(err, bus.ErrUnavailable) {
			t.Fatalf("publish %d during the outage: %v, want bus.ErrUnavailable", i, err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("publish %d took %v, want at most the publish timeout (1 s) and change", i, took)
		}
		if i == 0 {
			w := httptest.NewRecorder()
			sse.WriteError(w, httptest.NewRequest("POST", "/update", nil), err, logger)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
				t.Errorf("answered %d, Retry-After %q: want 503, 5", w.Code, w.Header().Get("Retry-After"))
			}
		}
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Errorf("%d warnings for one outage, want 1:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("an outage logged errors:\n%s", logs.String())
	}
	srv.start()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := hub.Publish(ctx, bus.ToAll(), "", []byte("after")); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("publish after Redis came back: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := strings.Count(logs.String(), "Redis available again"); n != 1 {
		t.Errorf("%d recovery lines, want 1:\n%s", n, logs.String())
	}
}
