package metrics_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/metrics"
	"github.com/rxsse/rxsse/rx"
)

type discard struct{}

func (discard) Next(*bus.Message) {}
func (discard) Error(error)       {}
func (discard) Complete()         {}

// BenchmarkFanout publishes to 1,000 subscribers of a memory hub, as is and
// counted: the cost of the counting Hub per delivered message.
func BenchmarkFanout(b *testing.B) {
	for _, counted := range []bool{false, true} {
		b.Run(fmt.Sprintf("counted=%v", counted), func(b *testing.B) {
			mem := bus.NewMemory(&bus.MemoryOptions{History: -1})
			defer mem.Close()
			var hub bus.Hub = mem
			if counted {
				hub = metrics.New(nil).Hub(mem)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const subs = 1000
			for range subs {
				hub.Subscribe(ctx, bus.Recipient{}).Subscribe(ctx, rx.Observer[*bus.Message](discard{}))
			}
			data := []byte(`{"t":1,"seq":1,"pad":"xxxxxxxxxxxxxxxx"}`)
			b.ResetTimer()
			for b.Loop() {
				if _, err := hub.Publish(ctx, bus.ToAll(), "", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*subs), "ns/delivery")
		})
	}
}
