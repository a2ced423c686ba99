package op_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/op"
)

// Each operator form gives the same stream as the rx function it wraps.
func TestOperatorsMatchRx(t *testing.T) {
	src := rx.Of(1, 2, 2, 3, 4)
	fail := rx.Concat(rx.Of(1), rx.Throw[int](errors.New("boom")))
	double := func(v int) int { return v * 2 }
	odd := func(v int) bool { return v%2 == 1 }
	twice := func(v int) rx.Observable[int] { return rx.Of(v, v) }
	cases := []struct {
		name   string
		op, rx rx.Observable[int]
	}{
		{"Map", rx.Pipe1(src, op.Map(double)), rx.Map(src, double)},
		{"Filter", rx.Pipe1(src, op.Filter(odd)), rx.Filter(src, odd)},
		{"Take", rx.Pipe1(src, op.Take[int](2)), rx.Take(src, 2)},
		{"TakeUntil", rx.Pipe1(src, op.TakeUntil[int](rx.Never[int]())), rx.TakeUntil(src, rx.Never[int]())},
		{"TakeWhile", rx.Pipe1(src, op.TakeWhile(odd)), rx.TakeWhile(src, odd)},
		{"Skip", rx.Pipe1(src, op.Skip[int](3)), rx.Skip(src, 3)},
		{"Scan", rx.Pipe1(src, op.Scan(func(a, v int) int { return a + v }, 1)), rx.Scan(src, func(a, v int) int { return a + v }, 1)},
		{"StartWith", rx.Pipe1(src, op.StartWith(7, 8)), rx.StartWith(src, 7, 8)},
		{"Tap", rx.Pipe1(src, op.Tap(func(int) {})), src},
		{"TapObserver", rx.Pipe1(src, op.TapObserver(rx.Observer[int](rx.ObserverFuncs[int]{}))), src},
		{"Finalize", rx.Pipe1(src, op.Finalize[int](func() {})), src},
		{"DistinctUntilChanged", rx.Pipe1(src, op.DistinctUntilChanged[int]()), rx.DistinctUntilChanged(src)},
		{"DistinctUntilChangedFunc", rx.Pipe1(src, op.DistinctUntilChangedFunc(func(a, b int) bool { return a/2 == b/2 })),
			rx.DistinctUntilChangedFunc(src, func(a, b int) bool { return a/2 == b/2 })},
		{"MergeWith", rx.Pipe1(src, op.MergeWith(rx.Of(9))), rx.Merge(src, rx.Of(9))},
		{"ConcatWith", rx.Pipe1(src, op.ConcatWith(rx.Of(9))), rx.Concat(src, rx.Of(9))},
		{"MergeMap", rx.Pipe1(src, op.MergeMap(twice)), rx.MergeMap(src, twice)},
		{"MergeMapLimit", rx.Pipe1(src, op.MergeMapLimit(twice, 1)), rx.MergeMapLimit(src, twice, 1)},
		{"ConcatMap", rx.Pipe1(src, op.ConcatMap(twice)), rx.ConcatMap(src, twice)},
		{"SwitchMap", rx.Pipe1(src, op.SwitchMap(twice)), rx.SwitchMap(src, twice)},
		{"Debounce", rx.Pipe1(src, op.Debounce[int](time.Hour)), rx.Debounce(src, time.Hour)},
		{"Throttle", rx.Pipe1(src, op.Throttle[int](time.Hour)), rx.Throttle(src, time.Hour)},
		{"BufferTime", rx.Pipe2(src, op.BufferTime[int](time.Hour), op.Map(func(b []int) int { return len(b) })), rx.Of(5)},
		{"Timeout", rx.Pipe1(src, op.Timeout[int](time.Hour)), src},
		{"CatchError", rx.Pipe1(fail, op.CatchError(func(error) rx.Observable[int] { return rx.Of(0) })), rx.Of(1, 0)},
		{"Retry", rx.Pipe1(fail, op.Retry[int](2)), rx.Retry(fail, 2)},
		{"Share", rx.Pipe1(src, op.Share[int]()), src},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, gotErr := rx.Collect(t.Context(), c.op)
			want, wantErr := rx.Collect(t.Context(), c.rx)
			if !slices.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("got %v, %v; want %v, %v", got, gotErr, want, wantErr)
			}
		})
	}
}

// A sample of the forms generated for the operators added for RxJS parity,
// of several shapes (several type parameters, configs, a second source).
func TestGeneratedFormsMatchRx(t *testing.T) {
	src := rx.Of(1, 2, 2, 3, 4)
	fail := rx.Concat(rx.Of(1), rx.Throw[int](errors.New("boom")))
	show := func(v any) string { return fmt.Sprint(v) }
	cases := []struct {
		name   string
		op, rx rx.Observable[string]
	}{
		{"CombineLatestWith", rx.Map(rx.Pipe1(src, op.CombineLatestWith(rx.Of(9))), func(v []int) string { return show(v) }),
			rx.Map(rx.CombineLatestWith(src, rx.Of(9)), func(v []int) string { return show(v) })},
		{"WithLatestFrom", rx.Pipe1(src, op.WithLatestFrom(rx.Of("x"), func(v int, s string) string { return show(v) + s })),
			rx.WithLatestFrom(src, rx.Of("x"), func(v int, s string) string { return show(v) + s })},
		{"RetryWith", rx.Map(rx.Pipe1(fail, op.RetryWith[int](rx.RetryConfig{Count: 2})), func(v int) string { return show(v) }),
			rx.Map(rx.RetryWith(fail, rx.RetryConfig{Count: 2}), func(v int) string { return show(v) })},
		{"SequenceEqual", rx.Map(rx.Pipe1(src, op.SequenceEqual(rx.Of(1, 2, 2, 3, 4))), func(v bool) string { return show(v) }),
			rx.Of("true")},
		{"GroupBy", rx.MergeMap(rx.Pipe1(src, op.GroupBy(func(v int) bool { return v%2 == 0 })), func(g rx.Grouped[bool, int]) rx.Observable[string] {
			return rx.Map(rx.Count(g.Observable), func(n int) string { return show(g.Key) + show(n) })
		}), rx.Of("false2", "true3")},
		{"TakeLast", rx.Map(rx.Pipe1(src, op.TakeLast[int](2)), func(v int) string { return show(v) }), rx.Of("3", "4")},
		{"Pairwise", rx.Map(rx.Pipe1(src, op.Pairwise[int]()), func(v [2]int) string { return show(v) }),
			rx.Map(rx.Pairwise(src), func(v [2]int) string { return show(v) })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, gotErr := rx.Collect(t.Context(), c.op)
			want, wantErr := rx.Collect(t.Context(), c.rx)
			if !slices.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("got %v, %v; want %v, %v", got, gotErr, want, wantErr)
			}
		})
	}
}
