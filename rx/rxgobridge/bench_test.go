package rxgobridge_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/reactivex/rxgo/v2"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/rxgobridge"
)

// rxgo's side of the benchmarks in package rx (same pipeline, same counts),
// run with
//
//	go test -run '^$' -bench . -benchmem ./rx/rxgobridge/
//
// BenchmarkMapFilterMap/rxgo is the pipeline in rxgo (buffered channels,
// cancellable context); /stage runs the three steps as rxgo operators in an
// rx pipeline through Stage. BenchmarkIdleSubscriptions holds 1,000 rxgo
// subscriptions of Interval(1s)→Map→Filter.

const pipelineItems = 1_000_000

var (
	triple = func(v int) int { return v * 3 }
	even   = func(v int) bool { return v%2 == 0 }
	inc    = func(v int) int { return v + 1 }
)

func rxgoSteps(in rxgo.Observable, opts []rxgo.Option) rxgo.Observable {
	return in.
		Map(func(_ context.Context, v any) (any, error) { return triple(v.(int)), nil }, opts...).
		Filter(func(v any) bool { return even(v.(int)) }, opts...).
		Map(func(_ context.Context, v any) (any, error) { return inc(v.(int)), nil }, opts...)
}

func BenchmarkMapFilterMap(b *testing.B) {
	ints := make([]int, pipelineItems)
	want := 0
	for i := range ints {
		ints[i] = i
		if x := triple(i); even(x) {
			want += inc(x)
		}
	}
	b.Run("rxgo", func(b *testing.B) {
		perItem(b, func() int {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := []rxgo.Option{rxgo.WithContext(ctx), rxgo.WithBufferedChannel(1024)}
			sum := 0
			for it := range rxgoSteps(rxgo.Range(0, pipelineItems, opts...), opts).Observe(opts...) {
				sum += it.V.(int)
			}
			return sum
		}, want)
	})
	b.Run("stage", func(b *testing.B) {
		p := rxgobridge.Stage[int, int](rx.From(ints), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
			return rxgoSteps(in, []rxgo.Option{rxgo.WithContext(ctx), rxgo.WithBufferedChannel(1024)})
		})
		perItem(b, func() int {
			sum := 0
			if err := rx.ForEach(context.Background(), p, func(v int) { sum += v }); err != nil {
				b.Fatal(err)
			}
			return sum
		}, want)
	})
}

// perItem runs one pass over pipelineItems per iteration and reports the
// cost per item.
func perItem(b *testing.B, pass func() int, want int) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if got := pass(); got != want {
			b.Fatalf("sum %d, want %d", got, want)
		}
	}
	runtime.ReadMemStats(&after)
	items := float64(b.N) * pipelineItems
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/items, "ns/item")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/items, "allocs/item")
	b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
}

func BenchmarkIdleSubscriptions(b *testing.B) {
	const n = 1_000
	var wg sync.WaitGroup
	defer wg.Wait()
	var goroutines, bytes float64
	for b.Loop() {
		b.StopTimer()
		ctxs := make([]context.Context, n)
		cancels := make([]context.CancelFunc, n)
		for i := range n {
			ctxs[i], cancels[i] = context.WithCancel(context.Background())
		}
		g0, h0 := idleState()
		b.StartTimer()
		for _, ctx := range ctxs {
			opts := []rxgo.Option{rxgo.WithContext(ctx)}
			o := rxgo.Interval(rxgo.WithDuration(time.Second), opts...).
				Map(func(_ context.Context, v any) (any, error) { return triple(v.(int)), nil }, opts...).
				Filter(func(v any) bool { return even(v.(int)) }, opts...)
			items := o.Observe(opts...)
			wg.Go(func() {
				for range items {
				}
			})
		}
		b.StopTimer()
		g1, h1 := idleState()
		goroutines += float64(g1-g0) / n
		bytes += float64(int64(h1)-int64(h0)) / n
		for _, cancel := range cancels {
			cancel()
		}
		b.StartTimer()
	}
	b.ReportMetric(goroutines/float64(b.N), "goroutines/sub")
	b.ReportMetric(bytes/float64(b.N), "B/sub")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sub")
}

func idleState() (int, uint64) {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc + m.StackInuse
}
