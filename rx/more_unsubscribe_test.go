package rx_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

// TestUnsubscribeMidStreamMore is TestUnsubscribeMidStream for the
// operators added for RxJS parity: each runs on Interval(1s), is cancelled
// at 2.7s, and must have torn its source down, with nothing after.
func TestUnsubscribeMidStreamMore(t *testing.T) {
	type op = func(rx.Observable[int]) rx.Observable[string]
	str := func(o rx.Observable[int]) rx.Observable[string] { return rx.Map(o, itoa) }
	anyStr := func(v any) string { return fmt.Sprint(v) }
	ops := []struct {
		name string
		op   op
		want []string
	}{
		{"CombineLatest", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.CombineLatest(o, rx.Of(9)), func(v []int) string { return fmt.Sprint(v) })
		}, []string{"[0 9]", "[1 9]"}},
		{"WithLatestFrom", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.WithLatestFrom(o, rx.Of("x"), func(v int, s string) string { return fmt.Sprint(v, s) })
		}, []string{"0x", "1x"}},
		{"Zip", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.Zip(o, rx.Range(5, 10)), func(v []int) string { return fmt.Sprint(v) })
		}, []string{"[0 5]", "[1 6]"}},
		{"ForkJoin", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.ForkJoin(o, rx.Of(1)), func(v []int) string { return fmt.Sprint(v) })
		}, []string{}},
		{"Race", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Race(rx.Never[int](), o)) }, nil},
		{"TakeLast", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.TakeLast(o, 2)) }, []string{}},
		{"SkipLast", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.SkipLast(o, 1)) }, []string{"0"}},
		{"SkipWhile", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.SkipWhile(o, func(v int) bool { return v < 1 }))
		}, []string{"1"}},
		{"SkipUntil", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.SkipUntil(o, rx.Timer(500*ms))) }, nil},
		{"Last", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Last(o)) }, []string{}},
		{"Reduce", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Reduce(o, sum, 0)) }, []string{}},
		{"Distinct", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Distinct(o)) }, nil},
		{"Sample", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Sample(o, rx.Interval(1500*ms))) }, []string{"0"}},
		{"AuditTime", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.AuditTime(o, 500*ms)) }, nil},
		{"ThrottleTime", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.ThrottleTime(o, 1500*ms, rx.ThrottleConfig{Leading: true, Trailing: true}))
		}, []string{"0", "1"}},
		{"Delay", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.Delay(o, 500*ms)) }, nil},
		{"DelayWhen", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.DelayWhen(o, func(int) rx.Observable[int] { return rx.Timer(500 * ms) }))
		}, nil},
		{"RepeatWith", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.RepeatWith(o, rx.RepeatConfig{})) }, nil},
		{"RetryWith", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.RetryWith(o, rx.RetryConfig{Delay: sec, ResetOnSuccess: true}))
		}, nil},
		{"ShareReplay", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.ShareReplay(o, rx.ShareReplayConfig{BufferSize: 1, RefCount: true}))
		}, nil},
		{"ExhaustMap", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.ExhaustMap(rx.Of(1), func(int) rx.Observable[int] { return o }))
		}, nil},
		{"MergeScan", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.MergeScan(o, func(acc, v int) rx.Observable[int] { return rx.Of(acc + v) }, 0))
		}, []string{"0", "1"}},
		{"Expand", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.Expand(o, func(int) rx.Observable[int] { return rx.Empty[int]() }))
		}, nil},
		{"Pairwise", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.Pairwise(o), func(p [2]int) string { return fmt.Sprint(p) })
		}, []string{"[0 1]"}},
		{"BufferCount", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.BufferCount(o, 2, 0), func(b []int) string { return fmt.Sprint(b) })
		}, []string{"[0 1]"}},
		{"WindowTime", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.WindowTime(o, 1500*ms), func(rx.Observable[int]) string { return "window" })
		}, []string{"window", "window"}},
		{"GroupBy", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.MergeMap(rx.GroupBy(o, isOdd), func(g rx.Grouped[bool, int]) rx.Observable[string] { return str(g.Observable) })
		}, nil},
		{"Materialize", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.Materialize(o), func(n rx.Notification[int]) string { return anyStr(n.Value) })
		}, nil},
		{"DebounceWhen", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.DebounceWhen(o, func(int) rx.Observable[int] { return rx.Timer(500 * ms) }))
		}, nil},
		{"ThrottleWhen", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.ThrottleWhen(o, func(int) rx.Observable[int] { return rx.Timer(500 * ms) }, rx.ThrottleConfig{Leading: true}))
		}, nil},
		{"BufferWhen", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.BufferWhen(o, func() rx.Observable[int] { return rx.Timer(1500 * ms) }), func(b []int) string { return fmt.Sprint(b) })
		}, []string{"[0]"}},
		{"BufferToggle", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.BufferToggle(o, rx.Of(0), func(int) rx.Observable[int] { return rx.Timer(1500 * ms) }),
				func(b []int) string { return fmt.Sprint(b) })
		}, []string{"[0]"}},
		{"WindowWhen", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.MergeAll(rx.WindowWhen(o, func() rx.Observable[int] { return rx.Timer(1500 * ms) })))
		}, nil},
		{"WindowToggle", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.MergeAll(rx.WindowToggle(o, rx.Of(0), func(int) rx.Observable[int] { return rx.Never[int]() })))
		}, nil},
		{"TimeoutWith", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.TimeoutWith(o, rx.TimeoutConfig[int]{Each: 5 * sec}))
		}, nil},
		{"OnErrorResumeNext", func(o rx.Observable[int]) rx.Observable[string] { return str(rx.OnErrorResumeNext(o, rx.Of(9))) }, nil},
		{"TakeWhileInclusive", func(o rx.Observable[int]) rx.Observable[string] {
			return str(rx.TakeWhileInclusive(o, func(int) bool { return true }))
		}, nil},
		{"TimeInterval", func(o rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.TimeInterval(o), func(v rx.TimeIntervalValue[int]) string { return fmt.Sprint(v.Value, v.Interval) })
		}, []string{"0 1s", "1 1s"}},
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
			want: append(append([]string(nil), want...), "teardown"),
		})
	}
	runCases(t, cases)
}

func TestConstructionPanicsMore(t *testing.T) {
	src := rx.Of(1)
	cases := []struct {
		want string
		f    func()
	}{
		{"rx: Range: negative count", func() { rx.Range(0, -1) }},
		{"rx: Generate: nil function", func() { rx.Generate(0, nil, double) }},
		{"rx: Iif: nil condition", func() { rx.Iif(nil, src, src) }},
		{"rx: Partition: nil predicate", func() { rx.Partition(src, nil) }},
		{"rx: TimerPeriod: period must be positive", func() { rx.TimerPeriod(0, 0) }},
		{"rx: CombineLatest2: nil project function", func() { rx.CombineLatest2[int, int, int](src, src, nil) }},
		{"rx: WithLatestFrom: nil project function", func() { rx.WithLatestFrom[int, int, int](src, src, nil) }},
		{"rx: Zip2: nil project function", func() { rx.Zip2[int, int, int](src, src, nil) }},
		{"rx: ForkJoin2: nil project function", func() { rx.ForkJoin2[int, int, int](src, src, nil) }},
		{"rx: ElementAt: negative index", func() { rx.ElementAt(src, -1) }},
		{"rx: TakeLast: negative count", func() { rx.TakeLast(src, -1) }},
		{"rx: BufferCount: size must be positive", func() { rx.BufferCount(src, 0, 0) }},
		{"rx: SampleTime: period must be positive", func() { rx.SampleTime(src, 0) }},
		{"rx: Delay: negative duration", func() { rx.Delay(src, -1) }},
		{"rx: RetryWith: negative count", func() { rx.RetryWith(src, rx.RetryConfig{Count: -1}) }},
		{"rx: Repeat: negative count", func() { rx.Repeat(src, -1) }},
		{"rx: ShareReplay: negative buffer size", func() { rx.ShareReplay(src, rx.ShareReplayConfig{BufferSize: -1}) }},
		{"rx: ExhaustMap: nil project function", func() { rx.ExhaustMap[int, int](src, nil) }},
		{"rx: GroupBy: nil key function", func() { rx.GroupBy[int, int](src, nil) }},
		{"rx: WindowTime: span must be positive", func() { rx.WindowTime(src, 0) }},
		{"rx: Connect: nil selector", func() { rx.Connect[int, int](src, nil) }},
		{"rx: DebounceWhen: nil duration selector", func() { rx.DebounceWhen[int, int](src, nil) }},
		{"rx: ThrottleWhen: nil duration selector", func() { rx.ThrottleWhen[int, int](src, nil, rx.ThrottleConfig{}) }},
		{"rx: BufferWhen: nil closing selector", func() { rx.BufferWhen[int, int](src, nil) }},
		{"rx: BufferToggle: nil closing selector", func() { rx.BufferToggle[int, int, int](src, src, nil) }},
		{"rx: WindowWhen: nil closing selector", func() { rx.WindowWhen[int, int](src, nil) }},
		{"rx: WindowToggle: nil closing selector", func() { rx.WindowToggle[int, int, int](src, src, nil) }},
		{"rx: TimeoutWith: no First or Each duration", func() { rx.TimeoutWith(src, rx.TimeoutConfig[int]{}) }},
		{"rx: Using: nil function", func() { rx.Using[closer, int](nil, nil) }},
		{"rx: TakeWhileInclusive: nil predicate", func() { rx.TakeWhileInclusive(src, nil) }},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			defer func() {
				if got := fmt.Sprint(recover()); got != c.want || !strings.HasPrefix(got, "rx: ") {
					t.Fatalf("panic %q, want %q", got, c.want)
				}
			}()
			c.f()
		})
	}
}

// Connectable runs its source only once connected, and again on a later
// Connect after the first run ended, with a fresh subject when
// ResetOnDisconnect is set.
func TestConnectable(t *testing.T) {
	runs := 0
	src := rx.Defer(func() rx.Observable[int] { runs++; return rx.Of(runs * 10) })
	c := rx.NewConnectable(src, rx.ConnectableConfig[int]{
		Connector:         func() *rx.Subject[int] { return rx.NewReplaySubject[int](1) },
		ResetOnDisconnect: true,
	})
	var got []string
	for range 2 {
		sub := c.AsObservable().Subscribe(context.Background(), rx.ObserverFuncs[int]{
			OnNext:     func(v int) { got = append(got, fmt.Sprint(v)) },
			OnComplete: func() { got = append(got, "complete") },
		})
		got = append(got, fmt.Sprint("runs ", runs))
		<-c.Connect(context.Background()).Done()
		<-sub.Done()
	}
	if want := "runs 0 10 complete runs 1 20 complete"; strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, " "), want)
	}
}
