package rx_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// The benchmarks quoted in the README, run side by side with
//
//	go test -run '^$' -bench . -benchmem ./rx/
//
// BenchmarkMapFilterMap passes 1,000,000 ints through Map→Filter→Map in rx,
// through plain channels with a goroutine per stage, and in a plain loop;
// each reports ns/item and allocs/item. rx÷loop alternates an rx pass and a
// loop pass and reports the ratio of their times. BenchmarkIdleSubscriptions holds
// 10,000 subscriptions of Interval(1s)→Map→Filter and reports goroutines and
// heap bytes per subscription. The same figures for rxgo are in package
// rx/rxgobridge (they would make rx's tests depend on rxgo).

const pipelineItems = 1_000_000

var (
	triple = func(v int) int { return v * 3 }
	even   = func(v int) bool { return v%2 == 0 }
	inc    = func(v int) int { return v + 1 }
)

func BenchmarkMapFilterMap(b *testing.B) {
	ints := make([]int, pipelineItems)
	for i := range ints {
		ints[i] = i
	}
	want := 0
	for _, v := range ints {
		if x := triple(v); even(x) {
			want += inc(x)
		}
	}

	b.Run("rx", func(b *testing.B) {
		pipeline := rx.Map(rx.Filter(rx.Map(rx.From(ints), triple), even), inc)
		sink := &sumObserver{}
		perItem(b, func() int {
			sink.sum = 0
			pipeline.Subscribe(context.Background(), sink)
			return sink.sum
		}, want)
	})

	b.Run("channels", func(b *testing.B) {
		perItem(b, func() int {
			stage := func(in <-chan int, f func(int) (int, bool)) <-chan int {
				out := make(chan int, 1024)
				go func() {
					defer close(out)
					for v := range in {
						if r, ok := f(v); ok {
							out <- r
						}
					}
				}()
				return out
			}
			src := make(chan int, 1024)
			go func() {
				defer close(src)
				for _, v := range ints {
					src <- v
				}
			}()
			out := stage(stage(stage(src,
				func(v int) (int, bool) { return triple(v), true }),
				func(v int) (int, bool) { return v, even(v) }),
				func(v int) (int, bool) { return inc(v), true })
			sum := 0
			for v := range out {
				sum += v
			}
			return sum
		}, want)
	})

	// rx and the loop in alternation, one pass each per iteration: on a
	// shared machine, load that comes and goes hits both alike, so the
	// ratio is steadier than that of two sub-benchmarks run one after the
	// other.
	b.Run("rx÷loop", func(b *testing.B) {
		pipeline := rx.Map(rx.Filter(rx.Map(rx.From(ints), triple), even), inc)
		sink := &sumObserver{}
		var inRx, inLoop time.Duration
		for b.Loop() {
			t0 := time.Now()
			sink.sum = 0
			pipeline.Subscribe(context.Background(), sink)
			t1 := time.Now()
			sum := 0
			for _, v := range ints {
				if x := triple(v); even(x) {
					sum += inc(x)
				}
			}
			t2 := time.Now()
			if sink.sum != want || sum != want {
				b.Fatalf("sums %d, %d; want %d", sink.sum, sum, want)
			}
			inRx += t1.Sub(t0)
			inLoop += t2.Sub(t1)
		}
		b.ReportMetric(float64(inRx)/float64(inLoop), "rx/loop")
		b.ReportMetric(float64(inRx.Nanoseconds())/float64(b.N*pipelineItems), "rx-ns/item")
		b.ReportMetric(float64(inLoop.Nanoseconds())/float64(b.N*pipelineItems), "loop-ns/item")
	})

	b.Run("loop", func(b *testing.B) {
		perItem(b, func() int {
			sum := 0
			for _, v := range ints {
				if x := triple(v); even(x) {
					sum += inc(x)
				}
			}
			return sum
		}, want)
	})
}

type sumObserver struct{ sum int }

func (o *sumObserver) Next(v int)  { o.sum += v }
func (o *sumObserver) Error(error) {}
func (o *sumObserver) Complete()   {}

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
	b.Run("rx", func(b *testing.B) {
		idleCost(b, 10_000, func(ctx context.Context) {
			o := rx.Filter(rx.Map(rx.Interval(time.Second), triple), even)
			o.Subscribe(ctx, &sumObserver{})
		})
	})
}

// idleCost subscribes n times (each with its own cancellable context, as a
// request has) and reports the goroutines and live heap bytes each
// subscription holds while idle.
func idleCost(b *testing.B, n int, subscribe func(ctx context.Context)) {
	b.Helper()
	var goroutines, bytes float64
	for b.Loop() {
		b.StopTimer()
		// The contexts stand for the requests: made before measuring, so
		// that only what the subscriptions add is counted.
		ctxs := make([]context.Context, n)
		cancels := make([]context.CancelFunc, n)
		for i := range n {
			ctxs[i], cancels[i] = context.WithCancel(context.Background())
		}
		g0, h0 := idleState()
		b.StartTimer()
		for _, ctx := range ctxs {
			subscribe(ctx)
		}
		b.StopTimer()
		g1, h1 := idleState()
		goroutines += float64(g1-g0) / float64(n)
		bytes += float64(int64(h1)-int64(h0)) / float64(n)
		for _, cancel := range cancels {
			cancel()
		}
		b.StartTimer()
	}
	b.ReportMetric(goroutines/float64(b.N), "goroutines/sub")
	b.ReportMetric(bytes/float64(b.N), "B/sub")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sub")
}

// idleState returns the number of goroutines and the memory in use (live
// heap and goroutine stacks) after a GC.
func idleState() (int, uint64) {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc + m.StackInuse
}

// BenchmarkOperators passes pipelineItems ints through one operator each,
// for the operators whose cost per value matters most after map and filter:
// Scan (synchronous, stateful), Merge (8 producers on their own goroutines,
// serialized into one observer), SwitchMap (an inner Observable per value)
// and Debounce (a timer reset per value; the window is long, so that only
// the last value comes out, at completion, however loaded the machine).
func BenchmarkOperators(b *testing.B) {
	ints := make([]int, pipelineItems)
	total := 0
	for i := range ints {
		ints[i] = i
		total += i
	}
	sumOf := func(o rx.Observable[int]) func() int {
		return func() int {
			sum := 0
			if err := rx.ForEach(context.Background(), o, func(v int) { sum += v }); err != nil {
				b.Fatal(err)
			}
			return sum
		}
	}
	b.Run("scan", func(b *testing.B) {
		want := 0
		for i := range ints {
			want += i * (i + 1) / 2
		}
		perItem(b, sumOf(rx.Scan(rx.From(ints), func(acc, v int) int { return acc + v }, 0)), want)
	})
	b.Run("merge", func(b *testing.B) {
		const producers = 8
		srcs := make([]rx.Observable[int], producers)
		for p := range srcs {
			part := ints[p*pipelineItems/producers : (p+1)*pipelineItems/producers]
			srcs[p] = rx.Create(func(s rx.Subscriber[int]) func() {
				go func() {
					for _, v := range part {
						s.Next(v)
					}
					s.Complete()
				}()
				return nil
			})
		}
		perItem(b, sumOf(rx.Merge(srcs...)), total)
	})
	b.Run("switchMap", func(b *testing.B) {
		perItem(b, sumOf(rx.SwitchMap(rx.From(ints), func(v int) rx.Observable[int] { return rx.Of(v) })), total)
	})
	b.Run("debounce", func(b *testing.B) {
		perItem(b, sumOf(rx.Debounce(rx.From(ints), time.Hour)), pipelineItems-1)
	})
}
