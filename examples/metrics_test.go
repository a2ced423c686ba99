package main

import (
	"strings"
	"testing"

	"github.com/rxsse/rxsse/sse/ssetest"
)

// The demo serves its metrics at /metrics: a push is counted.
func TestMetrics(t *testing.T) {
	i := startInstance(t, config{JWTSecret: demoSecret}, tuning{})
	if got := ssetest.PostJSON(t, i.url()+"/update", `{"msg":"hi","isAll":true}`); got.Status != 200 {
		t.Fatalf("POST /update: %d %s", got.Status, got.Body)
	}
	got := ssetest.Do(t, "GET", i.url()+"/metrics", "")
	for _, want := range []string{`rxsse_bus_publishes_total{result="ok"} 1`, "rxsse_bus_subscriptions 0", "go_goroutines "} {
		if got.Status != 200 || !strings.Contains(got.Body, want) {
			t.Errorf("GET /metrics: %d, no %q in\n%s", got.Status, want, got.Body)
		}
	}
}
