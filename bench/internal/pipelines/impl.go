package pipelines

import (
	"context"
	"sync"
	"time"

	"github.com/reactivex/rxgo/v2"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/rxgobridge"
)

// rxgo's operators pass items through channels: buffered ones, as its docs
// advise for throughput, and a context that is cancelled after each pass so
// that no goroutine outlives it.
const rxgoBuffer = 1024

func rxgoOpts(ctx context.Context) []rxgo.Option {
	return []rxgo.Option{rxgo.WithContext(ctx), rxgo.WithBufferedChannel(rxgoBuffer)}
}

func rxgoSum(ctx context.Context, o rxgo.Observable) int64 {
	var sum int64
	for it := range o.Observe(rxgoOpts(ctx)...) {
		if it.E == nil {
			sum += int64(it.V.(int))
		}
	}
	return sum
}

// rxgoPass returns a pass that sums the rxgo observable build makes with
// the options given; the pass's context ends with it, releasing rxgo's
// goroutines.
func rxgoPass(build func(opts []rxgo.Option) rxgo.Observable) func() int64 {
	return func() int64 {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		return rxgoSum(ctx, build(rxgoOpts(ctx)))
	}
}

// rxSyncPass returns a pass that sums p, a synchronous source: the sum is
// complete when Subscribe returns.
func rxSyncPass(p rx.Observable[int]) func() int64 {
	return func() int64 {
		var o sumObserver
		p.Subscribe(context.Background(), &o)
		return o.sum
	}
}

// sumObserver adds up what it receives.
type sumObserver struct{ sum int64 }

func (o *sumObserver) Next(v int)  { o.sum += int64(v) }
func (o *sumObserver) Error(error) {}
func (o *sumObserver) Complete()   {}

// stage is one goroutine of a channel pipeline: f maps a value and says
// whether to keep it.
func stage(in <-chan int, f func(int) (int, bool)) <-chan int {
	out := make(chan int, rxgoBuffer)
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

func feed(values []int) <-chan int {
	out := make(chan int, rxgoBuffer)
	go func() {
		defer close(out)
		for _, v := range values {
			out <- v
		}
	}()
	return out
}

func mapFilterMap(n int) Pipeline {
	ints := seq(n)
	var want int64
	for _, v := range ints {
		if x := triple(v); even(x) {
			want += int64(inc(x))
		}
	}
	return Pipeline{
		Name: "map-filter-map", Desc: "x*3, keep evens, +1, summed", Items: n, Want: want,
		Passes: map[string]func() func() int64{
			RX: func() func() int64 {
				return rxSyncPass(rx.Map(rx.Filter(rx.Map(rx.From(ints), triple), even), inc))
			},
			RXGo: func() func() int64 {
				return rxgoPass(func(opts []rxgo.Option) rxgo.Observable {
					return rxgo.Range(0, n, opts...).
						Map(func(_ context.Context, v any) (any, error) { return triple(v.(int)), nil }, opts...).
						Filter(func(v any) bool { return even(v.(int)) }, opts...).
						Map(func(_ context.Context, v any) (any, error) { return inc(v.(int)), nil }, opts...)
				})
			},
			Bridge: func() func() int64 {
				// An rx source, the three steps as rxgo operators through
				// rx/rxgobridge, and back to rx.
				p := rxgobridge.Stage[int, int](rx.From(ints), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
					opts := rxgoOpts(ctx)
					return in.Map(func(_ context.Context, v any) (any, error) { return triple(v.(int)), nil }, opts...).
						Filter(func(v any) bool { return even(v.(int)) }, opts...).
						Map(func(_ context.Context, v any) (any, error) { return inc(v.(int)), nil }, opts...)
				})
				return func() int64 {
					var sum int64
					_ = rx.ForEach(context.Background(), p, func(v int) { sum += int64(v) })
					return sum
				}
			},
			Channels: func() func() int64 {
				return func() int64 {
					out := stage(stage(stage(feed(ints),
						func(v int) (int, bool) { return triple(v), true }),
						func(v int) (int, bool) { return v, even(v) }),
						func(v int) (int, bool) { return inc(v), true })
					var sum int64
					for v := range out {
						sum += int64(v)
					}
					return sum
				}
			},
			Loop: func() func() int64 {
				return func() int64 {
					var sum int64
					for _, v := range ints {
						if x := triple(v); even(x) {
							sum += int64(inc(x))
						}
					}
					return sum
				}
			},
		},
	}
}

// merge: k producers, each on its own goroutine, emit n/k values each; the
// merged stream is summed.
func merge(n, k int) Pipeline {
	chunks := make([][]int, k)
	per := n / k
	var want int64
	for i := range k {
		chunks[i] = make([]int, per)
		for j := range per {
			chunks[i][j] = i*per + j
			want += int64(i*per + j)
		}
	}
	items := per * k
	return Pipeline{
		Name: "merge", Desc: "8 producers on their own goroutines, merged, summed", Items: items, Want: want,
		Passes: map[string]func() func() int64{
			RX: func() func() int64 {
				srcs := make([]rx.Observable[int], k)
				for i, c := range chunks {
					srcs[i] = rx.Create(func(s rx.Subscriber[int]) func() {
						go func() {
							for _, v := range c {
								if s.Closed() {
									return
								}
								s.Next(v)
							}
							s.Complete()
						}()
						return nil
					})
				}
				p := rx.Merge(srcs...)
				return func() int64 {
					var sum int64
					_ = rx.ForEach(context.Background(), p, func(v int) { sum += int64(v) })
					return sum
				}
			},
			RXGo: func() func() int64 {
				return rxgoPass(func(opts []rxgo.Option) rxgo.Observable {
					srcs := make([]rxgo.Observable, k)
					for i := range k {
						// Range produces on its own goroutine, as the
						// producers of the other versions do.
						srcs[i] = rxgo.Range(i*per, per, opts...)
					}
					return rxgo.Merge(srcs, opts...)
				})
			},
			Channels: func() func() int64 {
				return func() int64 {
					out := make(chan int, rxgoBuffer)
					var wg sync.WaitGroup
					for _, c := range chunks {
						wg.Go(func() {
							for _, v := range c {
								out <- v
							}
						})
					}
					go func() { wg.Wait(); close(out) }()
					var sum int64
					for v := range out {
						sum += int64(v)
					}
					return sum
				}
			},
			Loop: func() func() int64 {
				return func() int64 {
					var sum int64
					for _, c := range chunks {
						for _, v := range c {
							sum += int64(v)
						}
					}
					return sum
				}
			},
		},
		Notes: map[string]string{Loop: "one goroutine, no merging: the floor"},
	}
}

// scan: a running sum; every intermediate result is added to the checksum.
func scan(n int) Pipeline {
	ints := seq(n)
	var want, acc int64
	for _, v := range ints {
		acc += int64(v)
		want += acc
	}
	add := func(acc, v int) int { return acc + v }
	return Pipeline{
		Name: "scan", Desc: "running sum, every step summed", Items: n, Want: want,
		Passes: map[string]func() func() int64{
			RX: func() func() int64 {
				return rxSyncPass(rx.Scan(rx.From(ints), add, 0))
			},
			RXGo: func() func() int64 {
				return rxgoPass(func(opts []rxgo.Option) rxgo.Observable {
					return rxgo.Range(0, n, opts...).Scan(func(_ context.Context, acc, v any) (any, error) {
						if acc == nil {
							return v.(int), nil
						}
						return acc.(int) + v.(int), nil
					}, opts...)
				})
			},
			Channels: func() func() int64 {
				return func() int64 {
					acc := 0
					out := stage(feed(ints), func(v int) (int, bool) { acc += v; return acc, true })
					var sum int64
					for v := range out {
						sum += int64(v)
					}
					return sum
				}
			},
			Loop: func() func() int64 {
				return func() int64 {
					var sum int64
					acc := 0
					for _, v := range ints {
						acc += v
						sum += int64(acc)
					}
					return sum
				}
			},
		},
	}
}

// debounce: a burst of n values, faster than the 1 ms window, through a
// debounce; the checksum is the value that comes out last, which must be
// the burst's last.
func debounce(n int) Pipeline {
	ints := seq(n)
	d := debounceTimeout * time.Millisecond
	want := int64(n - 1)
	return Pipeline{
		Name: "debounce", Desc: "one burst faster than the 1 ms window; the last value must come out", Items: n, Want: want,
		Passes: map[string]func() func() int64{
			RX: func() func() int64 {
				p := rx.Debounce(rx.From(ints), d)
				return func() int64 {
					var last int64 = -1
					_ = rx.ForEach(context.Background(), p, func(v int) { last = int64(v) })
					return last
				}
			},
			RXGo: func() func() int64 {
				return func() int64 {
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					opts := rxgoOpts(ctx)
					o := rxgo.Range(0, n, opts...).Debounce(rxgo.WithDuration(d), opts...)
					var last int64 = -1
					for it := range o.Observe(opts...) {
						if it.E == nil {
							last = int64(it.V.(int))
						}
					}
					return last
				}
			},
			Channels: func() func() int64 {
				return func() int64 {
					in := feed(ints)
					out := make(chan int, 1)
					go func() {
						defer close(out)
						t := time.NewTimer(time.Hour)
						t.Stop()
						latest, pending := 0, false
						for {
							select {
							case v, ok := <-in:
								if !ok {
									if pending {
										out <- latest
									}
									return
								}
								latest, pending = v, true
								t.Reset(d)
							case <-t.C:
								if pending {
									out <- latest
									pending = false
								}
							}
						}
					}()
					var last int64 = -1
					for v := range out {
						last = int64(v)
					}
					return last
				}
			},
			Loop: func() func() int64 {
				return func() int64 {
					// What debounce does, inline: remember the value and
					// when it came; a value whose successor came after the
					// window would be emitted.
					var last int64 = -1
					latest, pending := 0, false
					var at time.Time
					for _, v := range ints {
						now := time.Now()
						if pending && now.Sub(at) >= d {
							last = int64(latest)
						}
						latest, pending, at = v, true, now
					}
					if pending {
						last = int64(latest)
					}
					return last
				}
			},
		},
		Notes: map[string]string{RXGo: "rxgo's Debounce drops the pending value when its source completes"},
	}
}
