package rx_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

var errOther = errors.New("other")

func double(v int) int     { return v * 2 }
func isOdd(v int) bool     { return v%2 == 1 }
func sum(a, v int) int     { return a + v }
func itoa(v int) string    { return strconv.Itoa(v) }
func lessThan3(v int) bool { return v < 3 }

// oneTwoBoom emits 1, 2, then fails.
func oneTwoBoom() rx.Observable[int] { return rx.Concat(rx.Of(1, 2), rx.Throw[int](errBoom)) }

func TestSyncOperators(t *testing.T) {
	sub := func(o rx.Observable[int]) func(*tlog) rx.Subscription {
		return func(l *tlog) rx.Subscription { return subscribe(l, o) }
	}
	runCases(t, []seqCase{
		{name: "Map", run: sub(rx.Map(rx.Of(1, 2, 3), double)), want: []string{"2", "4", "6", "complete"}},
		{name: "Map/error", run: sub(rx.Map(oneTwoBoom(), double)), want: []string{"2", "4", "error: boom"}},
		{name: "Filter", run: sub(rx.Filter(rx.Of(1, 2, 3, 4, 5), isOdd)), want: []string{"1", "3", "5", "complete"}},
		{name: "Filter/error", run: sub(rx.Filter(oneTwoBoom(), isOdd)), want: []string{"1", "error: boom"}},
		{name: "Take", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Take(tracked(l, rx.Of(1, 2, 3)), 2))
		}, want: []string{"1", "2", "complete", "teardown"}},
		{name: "Take/0", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Take(tracked(l, rx.Of(1, 2, 3)), 0))
		}, want: []string{"complete"}},
		{name: "Take/fewer", run: sub(rx.Take(rx.Of(1), 5)), want: []string{"1", "complete"}},
		{name: "Take/error", run: sub(rx.Take(oneTwoBoom(), 5)), want: []string{"1", "2", "error: boom"}},
		{name: "TakeWhile", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TakeWhile(tracked(l, rx.Of(1, 2, 3, 1)), lessThan3))
		}, want: []string{"1", "2", "complete", "teardown"}},
		{name: "TakeWhile/error", run: sub(rx.TakeWhile(oneTwoBoom(), lessThan3)), want: []string{"1", "2", "error: boom"}},
		{name: "Skip", run: sub(rx.Skip(rx.Of(1, 2, 3, 4), 2)), want: []string{"3", "4", "complete"}},
		{name: "Skip/0", run: sub(rx.Skip(rx.Of(1, 2), 0)), want: []string{"1", "2", "complete"}},
		{name: "Skip/all", run: sub(rx.Skip(rx.Of(1, 2), 5)), want: []string{"complete"}},
		{name: "Skip/error", run: sub(rx.Skip(oneTwoBoom(), 1)), want: []string{"2", "error: boom"}},
		{name: "Scan", run: sub(rx.Scan(rx.Of(1, 2, 3), sum, 10)), want: []string{"11", "13", "16", "complete"}},
		{name: "Scan/error", run: sub(rx.Scan(oneTwoBoom(), sum, 0)), want: []string{"1", "3", "error: boom"}},
		{name: "StartWith", run: sub(rx.StartWith(rx.Of(1, 2), -1, 0)), want: []string{"-1", "0", "1", "2", "complete"}},
		{name: "StartWith/none", run: sub(rx.StartWith(rx.Of(1))), want: []string{"1", "complete"}},
		{name: "StartWith/error", run: sub(rx.StartWith(rx.Throw[int](errBoom), 0)), want: []string{"0", "error: boom"}},
		{name: "Tap", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Tap(rx.Of(1, 2), func(v int) { l.add("tap %d", v) }))
		}, want: []string{"tap 1", "1", "tap 2", "2", "complete"}},
		{name: "TapObserver/complete", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TapObserver(rx.Of(1), rx.Observer[int](rx.ObserverFuncs[int]{
				OnNext:     func(v int) { l.add("tap %d", v) },
				OnComplete: func() { l.add("tap complete") },
			})))
		}, want: []string{"tap 1", "1", "tap complete", "complete"}},
		{name: "TapObserver/error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TapObserver(oneTwoBoom(), rx.Observer[int](rx.ObserverFuncs[int]{
				OnError: func(err error) { l.add("tap error: %v", err) },
			})))
		}, want: []string{"1", "2", "tap error: boom", "error: boom"}},
		{name: "Finalize/complete", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Finalize(tracked(l, rx.Of(1)), func() { l.add("finalize") }))
		}, want: []string{"1", "complete", "teardown", "finalize"}},
		{name: "Finalize/error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Finalize(rx.Throw[int](errBoom), func() { l.add("finalize") }))
		}, want: []string{"error: boom", "finalize"}},
		{name: "Finalize/unsubscribe", stopAt: sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Finalize(rx.Never[int](), func() { l.add("finalize") }))
		}, want: []string{"finalize"}},
		{name: "Finalize/panic dropped", run: func(l *tlog) rx.Subscription {
			o := rx.Finalize(rx.Finalize(rx.Of(1), func() { l.add("outer finalize runs") }), func() { panic("x") })
			return subscribe(l, o)
		}, want: []string{"1", "complete", "outer finalize runs"}},
		{name: "DistinctUntilChanged", run: sub(rx.DistinctUntilChanged(rx.Of(1, 1, 2, 2, 2, 1, 3, 3))),
			want: []string{"1", "2", "1", "3", "complete"}},
		{name: "DistinctUntilChanged/error", run: sub(rx.DistinctUntilChanged(oneTwoBoom())),
			want: []string{"1", "2", "error: boom"}},
		{name: "DistinctUntilChangedFunc", run: func(l *tlog) rx.Subscription {
			o := rx.DistinctUntilChangedFunc(rx.Of("a", "A", "b", "B", "a"), strings.EqualFold)
			return subscribe(l, o)
		}, want: []string{"a", "b", "a", "complete"}},
		{name: "Throttle/synchronous values pass once", run: sub(rx.Throttle(rx.Of(1, 2, 3), sec)),
			want: []string{"1", "complete"}},
	})
}

func TestCombiningOperators(t *testing.T) {
	ticks := func(name string, period time.Duration, n int) rx.Observable[string] {
		return rx.Map(rx.Take(rx.Interval(period), n), func(i int) string { return fmt.Sprintf("%s%d", name, i) })
	}
	// after emits v after d, then completes.
	after := func(d time.Duration, v int) rx.Observable[int] {
		return rx.Map(rx.Timer(d), func(int) int { return v })
	}
	delayed := func(v int) rx.Observable[int] { return after(time.Duration(v)*sec, v) }
	reversed := func(v int) rx.Observable[int] { return after(time.Duration(4-v)*sec, v) }
	runCases(t, []seqCase{
		{name: "Merge/synchronous", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Merge(rx.Of(1, 2), rx.Of(3)))
		}, want: []string{"1", "2", "3", "complete"}},
		{name: "Merge/interleaved", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Merge(ticks("a", 2*sec, 2), ticks("b", 3*sec, 2)))
		}, want: []string{"a0@2s", "b0@3s", "a1@4s", "b1@6s", "complete@6s"}},
		{name: "Merge/none", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Merge[int]()) },
			want: []string{"complete"}},
		{name: "Merge/error unsubscribes the others", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Merge(tracked(l, rx.Never[int]()), rx.Concat(after(sec, 1), rx.Throw[int](errBoom))))
		}, want: []string{"1@1s", "error: boom@1s", "teardown@1s"}},
		{name: "Merge/lazy: nothing before subscribe", run: func(l *tlog) rx.Subscription {
			_ = rx.Merge(rx.Defer(func() rx.Observable[int] { l.add("subscribed"); return rx.Empty[int]() }))
			return rx.Subscription{}
		}, want: nil},
		{name: "Concat", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Concat(tracked(l, rx.Of(1, 2)), rx.Of(3)))
		}, want: []string{"1", "2", "teardown", "3", "complete"}},
		{name: "Concat/in time", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Concat(after(2*sec, 1), after(sec, 2)))
		}, want: []string{"1@2s", "2@3s", "complete@3s"}},
		{name: "Concat/none", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Concat[int]()) },
			want: []string{"complete"}},
		{name: "Concat/error stops", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Concat(oneTwoBoom(), rx.Of(3)))
		}, want: []string{"1", "2", "error: boom"}},
		{name: "MergeMap", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.MergeMap(rx.Of(1, 2, 3), reversed))
		}, want: []string{"3@1s", "2@2s", "1@3s", "complete@3s"}},
		{name: "MergeMap/waits for the source", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.MergeMap(rx.Concat(rx.Of(1), after(5*sec, 2)), delayed))
		}, want: []string{"1@1s", "2@7s", "complete@7s"}},
		{name: "MergeMap/inner error", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.MergeMap(rx.Of(1, 2), func(v int) rx.Observable[int] {
				if v == 2 {
					return rx.Concat(after(1500*ms, 20), rx.Throw[int](errBoom))
				}
				return tracked(l, rx.Never[int]())
			}))
		}, want: []string{"20@1.5s", "error: boom@1.5s", "teardown@1.5s"}},
		{name: "MergeMap/synchronous inners", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.MergeMap(rx.Of(1, 2), func(v int) rx.Observable[int] { return rx.Of(v, v*10) }))
		}, want: []string{"1", "10", "2", "20", "complete"}},
		{name: "MergeMapLimit", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.MergeMapLimit(rx.Of(1, 2, 3), delayed, 2))
		}, want: []string{"1@1s", "2@2s", "3@4s", "complete@4s"}},
		{name: "ConcatMap", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.ConcatMap(rx.Of(1, 2, 3), delayed))
		}, want: []string{"1@1s", "2@3s", "3@6s", "complete@6s"}},
		{name: "ConcatMap/error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.ConcatMap(rx.Of(1, 2), func(v int) rx.Observable[int] {
				if v == 2 {
					return rx.Throw[int](errBoom)
				}
				return rx.Of(v)
			}))
		}, want: []string{"1", "error: boom"}},
		{name: "SwitchMap", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			outer := rx.Take(rx.Interval(sec), 3)
			return subscribe(l, rx.SwitchMap(outer, func(i int) rx.Observable[string] {
				return tracked(l, ticks(fmt.Sprintf("%d-", i), 400*ms, 3))
			}))
		}, want: []string{
			"0-0@1.4s", "0-1@1.8s", "teardown@2s",
			"1-0@2.4s", "1-1@2.8s", "teardown@3s",
			"2-0@3.4s", "2-1@3.8s", "2-2@4.2s", "complete@4.2s", "teardown@4.2s",
		}},
		{name: "SwitchMap/source error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.SwitchMap(oneTwoBoom(), func(v int) rx.Observable[int] { return rx.Of(v) }))
		}, want: []string{"1", "2", "error: boom"}},
		{name: "TakeUntil", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TakeUntil(tracked(l, rx.Interval(sec)), rx.Timer(2500*ms)))
		}, want: []string{"0@1s", "1@2s", "complete@2.5s", "teardown@2.5s"}},
		{name: "TakeUntil/notifier completes silently", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TakeUntil(rx.Of(1, 2), rx.Empty[int]()))
		}, want: []string{"1", "2", "complete"}},
		{name: "TakeUntil/notifier emits at once", run: func(l *tlog) rx.Subscription {
			src := rx.Defer(func() rx.Observable[int] { l.add("source subscribed"); return rx.Of(1) })
			return subscribe(l, rx.TakeUntil(src, rx.Of("now")))
		}, want: []string{"complete"}},
		{name: "TakeUntil/notifier error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TakeUntil(rx.Never[int](), rx.Throw[int](errBoom)))
		}, want: []string{"error: boom"}},
		{name: "CatchError", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.CatchError(oneTwoBoom(), func(err error) rx.Observable[int] {
				l.add("caught %v", err)
				return rx.Of(9)
			}))
		}, want: []string{"1", "2", "caught boom", "9", "complete"}},
		{name: "CatchError/rethrow", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.CatchError(oneTwoBoom(), func(err error) rx.Observable[int] {
				return rx.Throw[int](fmt.Errorf("wrapped: %w", err))
			}))
		}, want: []string{"1", "2", "error: wrapped: boom"}},
		{name: "CatchError/no error", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.CatchError(rx.Of(1), func(error) rx.Observable[int] { return rx.Of(9) }))
		}, want: []string{"1", "complete"}},
		{name: "CatchError/source torn down before the replacement", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.CatchError(tracked(l, rx.Throw[int](errBoom)), func(error) rx.Observable[int] {
				return rx.Of(9)
			}))
		}, want: []string{"9", "complete", "teardown"}},
		{name: "Retry/succeeds", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Retry(failing(l, 2), 2))
		}, want: []string{"attempt 1", "1", "attempt 2", "2", "attempt 3", "3", "complete"}},
		{name: "Retry/gives up", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Retry(failing(l, 5), 1))
		}, want: []string{"attempt 1", "1", "attempt 2", "2", "error: attempt 2 failed"}},
	})
}

// failing returns a source whose attempt n logs "attempt n", emits n, then
// fails, until attempt okAfter+1, which completes.
func failing(l *tlog, okAfter int) rx.Observable[int] {
	n := 0
	return rx.Defer(func() rx.Observable[int] {
		n++
		l.add("attempt %d", n)
		if n > okAfter {
			return rx.Of(n)
		}
		return rx.Concat(rx.Of(n), rx.Throw[int](fmt.Errorf("attempt %d failed", n)))
	})
}

func TestTimeOperators(t *testing.T) {
	burst := func() rx.Observable[string] {
		return timeline(at(0, "a"), at(300*ms, "b"), at(600*ms, "c"), at(2*sec, "d"), endAt[string](2100*ms))
	}
	runCases(t, []seqCase{
		{name: "Debounce", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Debounce(burst(), 500*ms))
		}, want: []string{"c@1.1s", "d@2.1s", "complete@2.1s"}},
		{name: "Debounce/error drops the pending value", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Debounce(timeline(at(0, "a"), failAt[string](100*ms, errBoom)), 500*ms))
		}, want: []string{"error: boom@100ms"}},
		{name: "Throttle", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			src := timeline(at(0, "a"), at(500*ms, "b"), at(sec, "c"), at(1200*ms, "d"), at(2500*ms, "e"), endAt[string](3*sec))
			return subscribe(l, rx.Throttle(src, sec))
		}, want: []string{"a@0s", "c@1s", "e@2.5s", "complete@3s"}},
		{name: "BufferTime", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			src := timeline(at(200*ms, "a"), at(500*ms, "b"), at(1500*ms, "c"), endAt[string](3200*ms))
			return subscribe(l, rx.BufferTime(src, sec))
		}, want: []string{"[a b]@1s", "[c]@2s", "[]@3s", "[]@3.2s", "complete@3.2s"}},
		{name: "BufferTime/error", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			src := timeline(at(200*ms, "a"), at(1500*ms, "c"), failAt[string](1700*ms, errBoom))
			return subscribe(l, rx.BufferTime(src, sec))
		}, want: []string{"[a]@1s", "error: boom@1.7s"}},
		{name: "Timeout", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			src := timeline(at(500*ms, "a"), at(1200*ms, "b"), at(2500*ms, "c"))
			return subscribe(l, rx.Timeout(tracked(l, src), sec))
		}, want: []string{"a@500ms", "b@1.2s", "error: rx: timeout@2.2s", "teardown@2.2s"}},
		{name: "Timeout/completes in time", timed: true, stopAt: time.Hour, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Timeout(timeline(at(500*ms, "a"), endAt[string](1400*ms)), sec))
		}, want: []string{"a@500ms", "complete@1.4s"}},
	})
}

// TestUnsubscribeMidStream cancels every operator while its source is
// running: exactly the values before the cancel arrive, the source is torn
// down, and nothing comes after (the runner lets a fake minute pass).
func TestUnsubscribeMidStream(t *testing.T) {
	type op = func(rx.Observable[int]) rx.Observable[int]
	ops := []struct {
		name string
		op   op
		want []string
	}{
		{"Map", func(o rx.Observable[int]) rx.Observable[int] { return rx.Map(o, double) }, []string{"0", "2"}},
		{"Filter", func(o rx.Observable[int]) rx.Observable[int] { return rx.Filter(o, isOdd) }, []string{"1"}},
		{"Take", func(o rx.Observable[int]) rx.Observable[int] { return rx.Take(o, 10) }, nil},
		{"TakeWhile", func(o rx.Observable[int]) rx.Observable[int] { return rx.TakeWhile(o, lessThan3) }, nil},
		{"TakeUntil", func(o rx.Observable[int]) rx.Observable[int] { return rx.TakeUntil(o, rx.Never[int]()) }, nil},
		{"Skip", func(o rx.Observable[int]) rx.Observable[int] { return rx.Skip(o, 1) }, []string{"1"}},
		{"Scan", func(o rx.Observable[int]) rx.Observable[int] { return rx.Scan(o, sum, 5) }, []string{"5", "6"}},
		{"StartWith", func(o rx.Observable[int]) rx.Observable[int] { return rx.StartWith(o, 7) }, []string{"7", "0", "1"}},
		{"Tap", func(o rx.Observable[int]) rx.Observable[int] { return rx.Tap(o, func(int) {}) }, nil},
		{"Finalize", func(o rx.Observable[int]) rx.Observable[int] { return rx.Finalize(o, func() {}) }, nil},
		{"DistinctUntilChanged", rx.DistinctUntilChanged[int], nil},
		{"Merge", func(o rx.Observable[int]) rx.Observable[int] { return rx.Merge(o, rx.Never[int]()) }, nil},
		{"Concat", func(o rx.Observable[int]) rx.Observable[int] { return rx.Concat(o, rx.Of(9)) }, nil},
		{"MergeMap", func(o rx.Observable[int]) rx.Observable[int] {
			return rx.MergeMap(rx.Of(1), func(int) rx.Observable[int] { return o })
		}, nil},
		{"ConcatMap", func(o rx.Observable[int]) rx.Observable[int] {
			return rx.ConcatMap(rx.Of(1), func(int) rx.Observable[int] { return o })
		}, nil},
		{"SwitchMap", func(o rx.Observable[int]) rx.Observable[int] {
			return rx.SwitchMap(rx.Of(1), func(int) rx.Observable[int] { return o })
		}, nil},
		{"Debounce", func(o rx.Observable[int]) rx.Observable[int] { return rx.Debounce(o, 500*ms) }, nil},
		{"Throttle", func(o rx.Observable[int]) rx.Observable[int] { return rx.Throttle(o, 1500*ms) }, []string{"0"}},
		{"BufferTime", func(o rx.Observable[int]) rx.Observable[int] {
			return rx.Map(rx.BufferTime(o, 1500*ms), func(b []int) int { return len(b) })
		}, []string{"1"}},
		{"CatchError", func(o rx.Observable[int]) rx.Observable[int] {
			return rx.CatchError(o, func(error) rx.Observable[int] { return rx.Of(9) })
		}, nil},
		{"Retry", func(o rx.Observable[int]) rx.Observable[int] { return rx.Retry(o, 3) }, nil},
		{"Timeout", func(o rx.Observable[int]) rx.Observable[int] { return rx.Timeout(o, 5*sec) }, nil},
		{"Share", rx.Share[int], nil},
	}
	var cases []seqCase
	for _, o := range ops {
		want := o.want
		if want == nil {
			want = []string{"0", "1"}
		}
		cases = append(cases, seqCase{
			name:   o.name,
			stopAt: 2700 * ms,
			run: func(l *tlog) rx.Subscription {
				return subscribe(l, o.op(tracked(l, rx.Interval(sec))))
			},
			want: append(want, "teardown"),
		})
	}
	runCases(t, cases)
}

// TestNoStackGrowth: operators that go from one synchronous source to the
// next (Concat, ConcatMap, Retry) loop instead of recursing, so the stack
// depth stays the same however many sources there are.
func TestNoStackGrowth(t *testing.T) {
	const n = 2000
	depth := func() int { return runtime.Callers(0, make([]uintptr, 10000)) }
	cases := []struct {
		name string
		o    func(probe rx.Observable[int]) rx.Observable[int]
	}{
		{"Concat", func(probe rx.Observable[int]) rx.Observable[int] {
			return rx.Concat(slices.Repeat([]rx.Observable[int]{probe}, n)...)
		}},
		{"ConcatMap", func(probe rx.Observable[int]) rx.Observable[int] {
			return rx.ConcatMap(rx.From(make([]int, n)), func(int) rx.Observable[int] { return probe })
		}},
		{"MergeMapLimit", func(probe rx.Observable[int]) rx.Observable[int] {
			return rx.MergeMapLimit(rx.From(make([]int, n)), func(int) rx.Observable[int] { return probe }, 3)
		}},
		{"Retry", func(probe rx.Observable[int]) rx.Observable[int] {
			return rx.Retry(rx.Concat(probe, rx.Throw[int](errBoom)), n-1)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var depths []int
			probe := rx.Defer(func() rx.Observable[int] {
				depths = append(depths, depth())
				return rx.Of(1)
			})
			_, _ = rx.Collect(t.Context(), c.o(probe))
			if len(depths) != n {
				t.Fatalf("%d subscriptions, want %d", len(depths), n)
			}
			if grown := slices.Max(depths) - depths[1]; grown > 0 {
				t.Fatalf("stack grew by %d frames over %d sources", grown, n)
			}
		})
	}
}
