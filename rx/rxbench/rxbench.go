package rxbench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

// Pipeline benchmarks pipeline over the ints 0…n-1: each iteration
// subscribes to pipeline(rx.From(ints)) and consumes it to the end. It
// reports ns/item, allocs/item and B/item (per input value) and items/s. A
// pipeline that fails fails the benchmark.
func Pipeline[R any](b *testing.B, n int, pipeline func(rx.Observable[int]) rx.Observable[R]) {
	b.Helper()
	if n <= 0 {
		panic("rxbench: Pipeline: n must be positive")
	}
	if pipeline == nil {
		panic("rxbench: Pipeline: nil pipeline")
	}
	ints := make([]int, n)
	for i := range ints {
		ints[i] = i
	}
	o := pipeline(rx.From(ints))
	Observable(b, n, o)
}

// Observable benchmarks a finished stream: each iteration subscribes to o
// and consumes it to the end. items is the number of values each run
// processes (what the per-item figures are divided by). o must complete by
// itself.
func Observable[T any](b *testing.B, items int, o rx.Observable[T]) {
	b.Helper()
	if items <= 0 {
		panic("rxbench: Observable: items must be positive")
	}
	sink := &discard[T]{done: make(chan error, 1)}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		o.Subscribe(context.Background(), sink)
		if err := <-sink.done; err != nil {
			b.Fatalf("rxbench: the stream failed: %v", err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	total := float64(b.N) * float64(items)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/item")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/item")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/item")
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(total/s, "items/s")
	}
}

// discard consumes a stream and reports its end.
type discard[T any] struct {
	done chan error
	n    int
}

func (d *discard[T]) Next(T)          { d.n++ }
func (d *discard[T]) Error(err error) { d.done <- fmt.Errorf("after %d values: %w", d.n, err); d.n = 0 }
func (d *discard[T]) Complete()       { d.done <- nil; d.n = 0 }
