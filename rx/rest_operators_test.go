package rx_test

import (
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

type closer struct {
	l    *tlog
	name string
}

func (c closer) Close() error {
	c.l.add("close %s", c.name)
	return nil
}

func TestRestOperators(t *testing.T) {
	runCases(t, []seqCase{
		{name: "OnErrorResumeNext", run: subAny(rx.OnErrorResumeNext(oneTwoBoom(), rx.Of(3), rx.Throw[int](errBoom), rx.Of(4))),
			want: []string{"1", "2", "3", "4", "complete"}},
		{name: "OnErrorResumeNextWith", run: subAny(rx.OnErrorResumeNextWith(rx.Throw[int](errBoom), rx.Of(1))),
			want: []string{"1", "complete"}},
		{name: "Using", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Using(func() (closer, error) { return closer{l, "db"}, nil }, func(c closer) rx.Observable[string] {
				return rx.Of("row from " + c.name)
			}))
		}, want: []string{"row from db", "complete", "close db"}},
		{name: "Using/create fails", run: subAny(rx.Using(func() (closer, error) { return closer{}, errBoom },
			func(closer) rx.Observable[int] { return rx.Of(1) })), want: []string{"error: boom"}},
		{name: "Using/unsubscribe", stopAt: 1500 * ms, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Using(func() (closer, error) { return closer{l, "conn"}, nil }, func(closer) rx.Observable[int] {
				return rx.Interval(sec)
			}))
		}, want: []string{"0", "close conn"}},
		{name: "TakeWhileInclusive", run: subAny(rx.TakeWhileInclusive(rx.Of(1, 2, 3, 1), lessThan3)),
			want: []string{"1", "2", "3", "complete"}},
		{name: "DebounceWhen", timed: true, run: subAny(rx.DebounceWhen(
			timeline(at(0, 1), at(100*ms, 2), at(500*ms, 3), endAt[int](600*ms)),
			func(v int) rx.Observable[int] { return rx.Timer(200 * ms) })),
			want: []string{"2@300ms", "3@600ms", "complete@600ms"}},
		{name: "DebounceWhen/empty duration drops", timed: true, run: subAny(rx.DebounceWhen(
			timeline(at(0, 1), at(100*ms, 2), endAt[int](1000*ms)),
			func(v int) rx.Observable[int] {
				if v == 2 {
					return rx.Empty[int]()
				}
				return rx.Timer(50 * ms)
			})),
			want: []string{"1@50ms", "complete@1s"}},
		{name: "ThrottleWhen/leading", timed: true, run: subAny(rx.ThrottleWhen(
			timeline(at(0, 1), at(100*ms, 2), at(400*ms, 3), endAt[int](500*ms)),
			func(int) rx.Observable[int] { return rx.Timer(300 * ms) }, rx.ThrottleConfig{Leading: true})),
			want: []string{"1@0s", "3@400ms", "complete@500ms"}},
		{name: "ThrottleWhen/leading+trailing", timed: true, run: subAny(rx.ThrottleWhen(
			timeline(at(0, 1), at(100*ms, 2), at(200*ms, 3), endAt[int](250*ms)),
			func(int) rx.Observable[int] { return rx.Timer(300 * ms) }, rx.ThrottleConfig{Leading: true, Trailing: true})),
			want: []string{"1@0s", "3@300ms", "complete@300ms"}},
		{name: "BufferWhen", timed: true, run: subAny(rx.BufferWhen(
			timeline(at(100*ms, 1), at(200*ms, 2), at(400*ms, 3), endAt[int](500*ms)),
			func() rx.Observable[int] { return rx.Timer(300 * ms) })),
			want: []string{"[1 2]@300ms", "[3]@500ms", "complete@500ms"}},
		{name: "BufferToggle", timed: true, run: subAny(rx.BufferToggle(
			timeline(at(100*ms, 1), at(200*ms, 2), at(300*ms, 3), at(400*ms, 4), endAt[int](500*ms)),
			timeline(at(150*ms, 260*ms), at(250*ms, 100*ms)),
			func(d time.Duration) rx.Observable[int] { return rx.Timer(d) })),
			want: []string{"[3]@350ms", "[2 3 4]@410ms", "complete@500ms"}},
		{name: "WindowWhen", timed: true, run: subAny(rx.MergeMap(rx.WindowWhen(
			timeline(at(100*ms, 1), at(400*ms, 2), endAt[int](500*ms)),
			func() rx.Observable[int] { return rx.Timer(300 * ms) }), rx.ToArray[int])),
			want: []string{"[1]@300ms", "[2]@500ms", "complete@500ms"}},
		{name: "WindowToggle", timed: true, run: subAny(rx.MergeMap(rx.WindowToggle(
			timeline(at(100*ms, 1), at(200*ms, 2), at(300*ms, 3), endAt[int](500*ms)),
			timeline(at(150*ms, 100*ms)),
			func(d time.Duration) rx.Observable[int] { return rx.Timer(d) }), rx.ToArray[int])),
			want: []string{"[2]@250ms", "complete@500ms"}},
		{name: "TimeoutWith/first", timed: true, run: subAny(rx.TimeoutWith(rx.Never[int](), rx.TimeoutConfig[int]{First: sec})),
			want: []string{"error: rx: timeout@1s"}},
		{name: "TimeoutWith/each", timed: true, run: subAny(rx.TimeoutWith(
			timeline(at(100*ms, 1), at(300*ms, 2), at(900*ms, 3)), rx.TimeoutConfig[int]{First: sec, Each: 500 * ms})),
			want: []string{"1@100ms", "2@300ms", "error: rx: timeout@800ms"}},
		{name: "TimeoutWith/with", timed: true, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TimeoutWith(tracked(l, rx.Never[int]()), rx.TimeoutConfig[int]{
				Each: sec, With: func() rx.Observable[int] { return rx.Of(-1) }}))
		}, want: []string{"teardown@1s", "-1@1s", "complete@1s"}},
		{name: "TimeoutWith/first only", timed: true, run: subAny(rx.TimeoutWith(
			timeline(at(100*ms, 1), at(5*sec, 2), endAt[int](6*sec)), rx.TimeoutConfig[int]{First: sec})),
			want: []string{"1@100ms", "2@5s", "complete@6s"}},
	})
}
