package metrics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/metrics"
)

// A Redis hub's reader is reported up, at the position of the last entry
// it routed; once the hub is closed, down.
func TestRedisReader(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)
	key := fmt.Sprintf("rxsse:test:metrics:%d", time.Now().UnixNano())
	t.Cleanup(func() {
		opts, _ := redis.ParseURL(url)
		c := redis.NewClient(opts)
		defer c.Close()
		c.Del(context.Background(), key)
	})
	hub, err := redisbus.New(t.Context(), url, &redisbus.Options{Stream: key, Block: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New(nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(m)
	m.WatchReader("main", hub)

	id, err := m.Hub(hub).Publish(t.Context(), bus.ToAll(), "", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	ms, _, _ := strings.Cut(id, "-")
	want := fmt.Sprintf(`
# HELP rxsse_bus_reader_last_entry_timestamp_seconds Time of the last entry the bus reader routed (from its id).
# TYPE rxsse_bus_reader_last_entry_timestamp_seconds gauge
rxsse_bus_reader_last_entry_timestamp_seconds{reader="main"} %s.%s
# HELP rxsse_bus_reader_up Whether the bus reader is connected (1) or reconnecting (0).
# TYPE rxsse_bus_reader_up gauge
rxsse_bus_reader_up{reader="main"} 1
`, ms[:len(ms)-3], ms[len(ms)-3:])
	want = strings.Replace(want, ".000\n", "\n", 1)
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rxsse_bus_reader_up", "rxsse_bus_reader_last_entry_timestamp_seconds")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := hub.Close(); err != nil {
		t.Fatal(err)
	}
	if got := testutil.CollectAndCount(m, "rxsse_bus_reader_up"); got != 1 || hub.ReaderConnected() {
		t.Errorf("after Close: %d series, connected %v", got, hub.ReaderConnected())
	}
}
