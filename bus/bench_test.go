package bus_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
)

// counting is an observer that only counts, as cheap as an observer gets.
type counting struct{ n *atomic.Int64 }

func (c counting) Next(*bus.Message) { c.n.Add(1) }
func (c counting) Error(error)       {}
func (c counting) Complete()         {}

// BenchmarkMemoryPublishToOneUser publishes to one user among many connected
// users: the cost must not depend on how many.
func BenchmarkMemoryPublishToOneUser(b *testing.B) {
	for _, users := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			ctx := context.Background()
			hub := bus.NewMemory(nil)
			defer hub.Close()
			var n atomic.Int64
			names := make([]string, users)
			subs := make([]rx.Subscription, users)
			for i := range users {
				names[i] = "user-" + strconv.Itoa(i)
				subs[i] = hub.Subscribe(ctx, bus.Recipient{User: names[i]}).Subscribe(ctx, counting{&n})
			}
			addrs := make([]bus.Address, 1024)
			for i := range addrs {
				addrs[i] = bus.ToUser(names[(i*7919)%users])
			}
			data := []byte(`{"hello":"world"}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				hub.Publish(ctx, addrs[i%len(addrs)], "", data)
			}
			b.StopTimer()
			if n.Load() != int64(b.N) {
				b.Fatalf("delivered %d, want %d", n.Load(), b.N)
			}
			for _, s := range subs {
				s.Unsubscribe()
			}
		})
	}
}

// BenchmarkMemoryBroadcast publishes to everyone; ns/delivery is the cost per
// subscriber reached.
func BenchmarkMemoryBroadcast(b *testing.B) {
	for _, subscribers := range []int{10_000} {
		b.Run(fmt.Sprintf("subscribers=%d", subscribers), func(b *testing.B) {
			ctx := context.Background()
			hub := bus.NewMemory(nil)
			defer hub.Close()
			var n atomic.Int64
			for i := range subscribers {
				hub.Subscribe(ctx, bus.Recipient{User: strconv.Itoa(i)}).Subscribe(ctx, counting{&n})
			}
			data := []byte(`{"hello":"world"}`)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				hub.Publish(ctx, bus.ToAll(), "", data)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n.Load()), "ns/delivery")
		})
	}
}
