package rxsseserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/bench/internal/contract/contracttest"
)

// With Metrics, the contract still holds and /metrics counts the hub's use.
func TestMetrics(t *testing.T) {
	s := New(&Options{Metrics: true})
	defer s.Close()
	contracttest.Run(t, s)

	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL+"/sse/bench/publish?n=3&size=1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "rxsse_bus_publishes_total{result=\"ok\"}") ||
		!strings.Contains(string(body), "rxsse_bus_subscriptions 0") {
		t.Errorf("GET /metrics: %d\n%s", resp.StatusCode, body)
	}
}
