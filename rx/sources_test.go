package rx_test

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

var errBoom = errors.New("boom")

func TestSources(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Of", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Of(1, 2, 3)) },
			want: []string{"1", "2", "3", "complete"}},
		{name: "Of/none", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Of[int]()) },
			want: []string{"complete"}},
		{name: "From", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.From([]string{"a", "b"})) },
			want: []string{"a", "b", "complete"}},
		{name: "FromSeq", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.FromSeq(slices.Values([]int{4, 5})))
		}, want: []string{"4", "5", "complete"}},
		{name: "FromChannel", run: func(l *tlog) rx.Subscription {
			ch := make(chan int, 2)
			ch <- 7
			ch <- 8
			close(ch)
			return subscribe(l, rx.FromChannel(ch))
		}, want: []string{"7", "8", "complete"}},
		{name: "FromChannel/unsubscribed while waiting", stopAt: 2 * sec, run: func(l *tlog) rx.Subscription {
			ch := make(chan int)
			return subscribe(l, tracked(l, rx.FromChannel(ch)))
		}, want: []string{"teardown"}},
		{name: "Empty", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Empty[int]()) },
			want: []string{"complete"}},
		{name: "zero Observable", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Observable[int]{}) },
			want: []string{"complete"}},
		{name: "Never", stopAt: sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, tracked(l, rx.Never[int]()))
		}, want: []string{"teardown"}},
		{name: "Throw", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Throw[int](errBoom)) },
			want: []string{"error: boom"}},
		{name: "Interval", timed: true, stopAt: 3500 * ms, run: func(l *tlog) rx.Subscription {
			return subscribe(l, tracked(l, rx.Interval(sec)))
		}, want: []string{"0@1s", "1@2s", "2@3s", "teardown@3.5s"}},
		{name: "Timer", timed: true, stopAt: 5 * sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Timer(2*sec))
		}, want: []string{"0@2s", "complete@2s"}},
		{name: "Timer/unsubscribed before", timed: true, stopAt: sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, tracked(l, rx.Timer(2*sec)))
		}, want: []string{"teardown@1s"}},
		{name: "Create/from a goroutine", timed: true, stopAt: 5 * sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, timeline(at(sec, "a"), at(2*sec, "b"), endAt[string](3*sec)))
		}, want: []string{"a@1s", "b@2s", "complete@3s"}},
		{name: "Create/teardown on complete", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Create(func(s rx.Subscriber[int]) func() {
				s.Next(1)
				s.Complete()
				s.Next(2) // ignored: the stream has ended
				return func() { l.add("producer teardown") }
			}))
		}, want: []string{"1", "complete", "producer teardown"}},
		{name: "Create/teardown on unsubscribe", stopAt: sec, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Create(func(s rx.Subscriber[int]) func() {
				s.Next(1)
				return func() { l.add("producer teardown") }
			}))
		}, want: []string{"1", "producer teardown"}},
	})
}

func TestDeferCallsFactoryPerSubscription(t *testing.T) {
	var n atomic.Int32
	o := rx.Defer(func() rx.Observable[int32] { return rx.Of(n.Add(1)) })
	for want := int32(1); want <= 2; want++ {
		got, err := rx.Collect(t.Context(), o)
		if err != nil || !slices.Equal(got, []int32{want}) {
			t.Fatalf("subscription %d: got %v, %v", want, got, err)
		}
	}
}

// Each subscription to a cold Interval runs its own count.
func TestIntervalIsColdPerSubscriber(t *testing.T) {
	runCases(t, []seqCase{{
		name: "second subscriber starts at 0", timed: true, stopAt: 3700 * ms,
		run: func(l *tlog) rx.Subscription {
			o := rx.Map(rx.Interval(sec), func(i int) string { return "first " + string(rune('0'+i)) })
			late := rx.Defer(func() rx.Observable[string] {
				return rx.Map(rx.Interval(sec), func(i int) string { return "second " + string(rune('0'+i)) })
			})
			second := rx.Concat(rx.Map(rx.Timer(1500*ms), func(int) string { return "second joins" }), late)
			// Merge subscribes to each source separately: two runs of Interval.
			return subscribe(l, rx.Merge(o, second))
		},
		want: []string{"first 0@1s", "second joins@1.5s", "first 1@2s", "second 0@2.5s", "first 2@3s", "second 1@3.5s"},
	}})
}
