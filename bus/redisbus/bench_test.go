package redisbus_test

import (
	"context"
	"encoding/binary"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/rx"
)

// BenchmarkRedisThroughput publishes from parallel goroutines to one local
// subscriber and reports messages per second from publish to delivery.
func BenchmarkRedisThroughput(b *testing.B) {
	url := testenv.RedisURL(b)
	hub := newHub(b, url, &redisbus.Options{Stream: uniqueStream(b, url)})
	ctx := context.Background()
	var delivered atomic.Int64
	all := make(chan struct{})
	var want atomic.Int64
	want.Store(-1)
	s := hub.Subscribe(ctx, bus.Recipient{}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(*bus.Message) {
			if delivered.Add(1) == want.Load() {
				close(all)
			}
		},
	})
	defer s.Unsubscribe()
	data := []byte(`{"hello":"world"}`)
	var published atomic.Int64
	b.SetParallelism(8) // publishers wait on the network: keep Redis busy
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := hub.Publish(ctx, bus.ToAll(), "", data); err != nil {
				b.Error(err)
				return
			}
			published.Add(1)
		}
	})
	want.Store(published.Load())
	if delivered.Load() < want.Load() {
		select {
		case <-all:
		case <-time.After(30 * time.Second):
			b.Fatalf("delivered %d of %d", delivered.Load(), want.Load())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(want.Load())/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkLatency measures the time from calling Publish to the local
// observer's Next, with the memory hub and with the Redis hub, one message
// at a time.
func BenchmarkLatency(b *testing.B) {
	b.Run("memory", func(b *testing.B) {
		hub := bus.NewMemory(nil)
		defer hub.Close()
		latency(b, hub)
	})
	b.Run("redis", func(b *testing.B) {
		url := testenv.RedisURL(b)
		latency(b, newHub(b, url, &redisbus.Options{Stream: uniqueStream(b, url)}))
	})
}

func latency(b *testing.B, hub bus.Hub) {
	ctx := context.Background()
	start := time.Now()
	got := make(chan time.Duration, 1)
	s := hub.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) {
			sent := time.Duration(binary.LittleEndian.Uint64(m.Data))
			got <- time.Since(start) - sent
		},
	})
	defer s.Unsubscribe()
	var samples []time.Duration
	data := make([]byte, 8)
	b.ResetTimer()
	for b.Loop() {
		binary.LittleEndian.PutUint64(data, uint64(time.Since(start)))
		if _, err := hub.Publish(ctx, bus.ToUser("ann"), "", data); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, <-got)
	}
	b.StopTimer()
	slices.Sort(samples)
	b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(samples[len(samples)*99/100].Nanoseconds())/1e3, "p99-µs")
}
