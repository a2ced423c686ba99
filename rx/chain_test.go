package rx_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

// Map (T to T), Filter and Tap fuse into one stage; these cases check that
// fusing changes nothing a subscriber can see.
func TestFusedStages(t *testing.T) {
	sub := func(o rx.Observable[int]) func(*tlog) rx.Subscription {
		return func(l *tlog) rx.Subscription { return subscribe(l, o) }
	}
	prefix := rx.Map(rx.Of(1, 2, 3, 4), double) // 2 4 6 8
	runCases(t, []seqCase{
		{name: "map-filter-map", run: sub(rx.Map(rx.Filter(rx.Map(rx.Of(1, 2, 3, 4), triple), even), inc)),
			want: []string{"7", "13", "complete"}},
		// Two pipelines built on one prefix do not share their stages.
		{name: "prefix/a", run: sub(rx.Filter(prefix, func(v int) bool { return v > 4 })), want: []string{"6", "8", "complete"}},
		{name: "prefix/b", run: sub(rx.Map(prefix, inc)), want: []string{"3", "5", "7", "9", "complete"}},
		{name: "prefix/c", run: sub(prefix), want: []string{"2", "4", "6", "8", "complete"}},
		{name: "tap order", run: func(l *tlog) rx.Subscription {
			o := rx.Tap(rx.Filter(rx.Tap(rx.Of(1, 2, 3), func(v int) { l.add("before %d", v) }), isOdd),
				func(v int) { l.add("after %d", v) })
			return subscribe(l, o)
		}, want: []string{"before 1", "after 1", "1", "before 2", "before 3", "after 3", "3", "complete"}},
		// A type-changing Map after a fused run, and a fused run after it.
		{name: "type change", run: func(l *tlog) rx.Subscription {
			o := rx.Filter(rx.Map(rx.Filter(rx.Of(1, 2, 3), isOdd), itoa), func(s string) bool { return s != "1" })
			return subscribe(l, o)
		}, want: []string{"3", "complete"}},
		// Take stops the slice loop: no stage runs for values after it.
		{name: "take stops the loop", run: func(l *tlog) rx.Subscription {
			o := rx.Take(rx.Tap(rx.Of(1, 2, 3, 4), func(v int) { l.add("tap %d", v) }), 2)
			return subscribe(l, o)
		}, want: []string{"tap 1", "1", "tap 2", "2", "complete"}},
		{name: "error", run: sub(rx.Filter(rx.Map(oneTwoBoom(), double), even)), want: []string{"2", "4", "error: boom"}},
		// More stages than the unrolled loop holds.
		{name: "five stages", run: sub(rx.Map(rx.Filter(rx.Map(rx.Filter(rx.Map(rx.Range(1, 8), inc), even), triple), gt10), double)),
			want: []string{"24", "36", "48", "complete"}},
		{name: "five stages over a slice", run: sub(rx.Map(rx.Filter(rx.Map(rx.Filter(rx.Map(rx.Of(1, 2, 3, 4, 5, 6, 7, 8), inc), even), triple), gt10), double)),
			want: []string{"24", "36", "48", "complete"}},
		{name: "one stage", run: sub(rx.Filter(rx.Of(1, 2, 3), isOdd)), want: []string{"1", "3", "complete"}},
		{name: "no stage", run: sub(rx.Of(1, 2)), want: []string{"1", "2", "complete"}},
		{name: "non-slice source", run: sub(rx.Map(rx.Filter(rx.Concat(rx.Of(1, 2), rx.Of(3)), isOdd), double)),
			want: []string{"2", "6", "complete"}},
	})
}

func gt10(v int) bool { return v > 10 }

// A panic in a fused stage fails the stream with a *PanicError after the
// values before it, and stops the loop.
func TestFusedStagePanics(t *testing.T) {
	var seen []int
	o := rx.Map(rx.Filter(rx.Of(1, 2, 3, 4), func(v int) bool {
		seen = append(seen, v)
		if v == 3 {
			panic("three")
		}
		return true
	}), double)
	got, err := rx.Collect(context.Background(), o)
	var pe *rx.PanicError
	if !errors.As(err, &pe) || pe.Value != "three" || !slices.Equal(got, []int{2, 4}) || !slices.Equal(seen, []int{1, 2, 3}) {
		t.Fatalf("got %v, %v; seen %v", got, err, seen)
	}
}

// A pass through map→filter→map allocates per subscription, never per
// value.
func TestFusedAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, n := range []int{10, 10_000} {
		ints := make([]int, n)
		o := rx.Map(rx.Filter(rx.Map(rx.From(ints), triple), even), inc)
		sink := &sumObserver{}
		allocs := testing.AllocsPerRun(10, func() { o.Subscribe(context.Background(), sink) })
		if allocs > 6 {
			t.Errorf("%d values: %v allocations per subscription", n, allocs)
		}
	}
}
