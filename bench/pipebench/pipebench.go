package pipebench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// Result is the cost of a pipeline per item.
type Result struct {
	Items         int64   // items pushed through, over every pass
	Passes        int     // passes run
	NsPerItem     float64 // wall time per item
	AllocsPerItem float64 // heap allocations per item (all goroutines)
	BytesPerItem  float64 // heap bytes allocated per item (all goroutines)
	ItemsPerSec   float64
}

// ErrChecksum is returned (wrapped, with the values) when a pass's checksum
// differs from the expected one.
var ErrChecksum = errors.New("pipebench: wrong checksum")

// Bench runs pass once per iteration of b and reports ns/item, allocs/item,
// B/item and items/s. items is the number of items one pass pushes through
// the pipeline; want is the checksum every pass must return.
func Bench(b *testing.B, items int, want int64, pass func() int64) {
	b.Helper()
	if items <= 0 {
		b.Fatalf("pipebench: items must be positive, got %d", items)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		if got := pass(); got != want {
			b.Fatalf("%v: got %d, want %d", ErrChecksum, got, want)
		}
		n++
	}
	runtime.ReadMemStats(&after)
	r := result(items, n, b.Elapsed(), &before, &after)
	b.ReportMetric(r.NsPerItem, "ns/item")
	b.ReportMetric(r.AllocsPerItem, "allocs/item")
	b.ReportMetric(r.BytesPerItem, "B/item")
	b.ReportMetric(r.ItemsPerSec, "items/s")
}

// Options tune Measure. The zero value is usable.
type Options struct {
	// Duration is how long Measure keeps running passes; it runs at least
	// one. Default 1 s.
	Duration time.Duration
	// MaxPasses bounds the passes (0: no bound besides Duration).
	MaxPasses int
}

// Measure runs pass repeatedly for opts.Duration (after one warm-up pass
// that is not counted) and returns the cost per item. When a pass's
// checksum differs from want, the cost is still measured and returned, with
// an error matching ErrChecksum that names the first wrong checksum; ctx
// ends the measurement early with ctx's error.
func Measure(ctx context.Context, items int, want int64, pass func() int64, opts *Options) (Result, error) {
	if items <= 0 {
		return Result{}, fmt.Errorf("pipebench: items must be positive, got %d", items)
	}
	d, maxPasses := time.Second, 0
	if opts != nil {
		if opts.Duration > 0 {
			d = opts.Duration
		}
		maxPasses = opts.MaxPasses
	}
	var wrong error
	check := func(got int64) {
		if got != want && wrong == nil {
			wrong = fmt.Errorf("%w: got %d, want %d", ErrChecksum, got, want)
		}
	}
	check(pass())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	n := 0
	for {
		check(pass())
		n++
		if time.Since(start) >= d || (maxPasses > 0 && n >= maxPasses) {
			break
		}
		if ctx.Err() != nil {
			wrong = errors.Join(wrong, ctx.Err())
			break
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return result(items, n, elapsed, &before, &after), wrong
}

func result(items, passes int, elapsed time.Duration, before, after *runtime.MemStats) Result {
	total := float64(items) * float64(passes)
	r := Result{Items: int64(items) * int64(passes), Passes: passes}
	if total == 0 {
		return r
	}
	r.NsPerItem = float64(elapsed.Nanoseconds()) / total
	r.AllocsPerItem = float64(after.Mallocs-before.Mallocs) / total
	r.BytesPerItem = float64(after.TotalAlloc-before.TotalAlloc) / total
	if elapsed > 0 {
		r.ItemsPerSec = total / elapsed.Seconds()
	}
	return r
}

// Sum subscribes to o, adds up its values, and returns the sum when o
// ends, with o's error if it failed.
func Sum[T ~int | ~int64 | ~int32](ctx context.Context, o rx.Observable[T]) (int64, error) {
	var sum int64
	err := rx.ForEach(ctx, o, func(v T) { sum += int64(v) })
	return sum, err
}

// Last subscribes to o and returns its last value (0 when it emitted none).
func Last[T ~int | ~int64 | ~int32](ctx context.Context, o rx.Observable[T]) (int64, error) {
	var last int64
	err := rx.ForEach(ctx, o, func(v T) { last = int64(v) })
	return last, err
}
