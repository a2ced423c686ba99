package metrics_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/metrics"
)

func Example() {
	m := metrics.New(nil)
	reg := prometheus.NewRegistry() // yours: nothing is registered globally
	reg.MustRegister(m)

	mem := bus.NewMemory(nil)
	defer mem.Close()
	hub := m.Hub(mem)
	hub.Publish(context.Background(), bus.ToAll(), "", []byte("hi"))

	err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP rxsse_bus_publishes_total Publishes, by result (ok, error).
# TYPE rxsse_bus_publishes_total counter
rxsse_bus_publishes_total{result="ok"} 1
`), "rxsse_bus_publishes_total")
	fmt.Println(err)
	// Output: <nil>
}
