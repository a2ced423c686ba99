package rx_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// subAny subscribes a recorder for any value type.
func subAny[T any](o rx.Observable[T]) func(*tlog) rx.Subscription {
	return func(l *tlog) rx.Subscription { return subscribe(l, o) }
}

func TestCreationFunctions(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Range", run: subAny(rx.Range(3, 4)), want: []string{"3", "4", "5", "6", "complete"}},
		{name: "Range/0", run: subAny(rx.Range(3, 0)), want: []string{"complete"}},
		{name: "Range/take", run: subAny(rx.Take(rx.Range(0, 1_000_000_000), 2)), want: []string{"0", "1", "complete"}},
		{name: "Generate", run: subAny(rx.Generate(1, func(v int) bool { return v < 20 }, double)),
			want: []string{"1", "2", "4", "8", "16", "complete"}},
		{name: "Iif/true", run: subAny(rx.Iif(func() bool { return true }, rx.Of(1), rx.Of(2))), want: []string{"1", "complete"}},
		{name: "Iif/false", run: subAny(rx.Iif(func() bool { return false }, rx.Of(1), rx.Of(2))), want: []string{"2", "complete"}},
		{name: "TimerPeriod", timed: true, stopAt: 3600 * ms, run: subAny(rx.TimerPeriod(500*ms, sec)),
			want: []string{"0@500ms", "1@1.5s", "2@2.5s", "3@3.5s"}},
		{name: "TimerPeriod/0 due", timed: true, stopAt: 1500 * ms, run: subAny(rx.TimerPeriod(0, sec)),
			want: []string{"0@0s", "1@1s"}},
		{name: "Partition", run: func(l *tlog) rx.Subscription {
			odd, even := rx.Partition(rx.Of(1, 2, 3, 4), isOdd)
			return subscribe(l, rx.Concat(odd, rx.Map(even, func(v int) int { return -v })))
		}, want: []string{"1", "3", "-2", "-4", "complete"}},
	})
}

func TestCombinationFunctions(t *testing.T) {
	runCases(t, []seqCase{
		{name: "CombineLatest", timed: true, run: subAny(rx.CombineLatest(
			timeline(at(100*ms, 1), at(300*ms, 2), endAt[int](400*ms)),
			timeline(at(200*ms, 10), at(500*ms, 20), endAt[int](600*ms)))),
			want: []string{"[1 10]@200ms", "[2 10]@300ms", "[2 20]@500ms", "complete@600ms"}},
		{name: "CombineLatest/error", run: subAny(rx.CombineLatest(rx.Of(1), oneTwoBoom())),
			want: []string{"[1 1]", "[1 2]", "error: boom"}},
		{name: "CombineLatest/empty input", run: subAny(rx.CombineLatest(rx.Of(1), rx.Empty[int]())), want: []string{"complete"}},
		{name: "CombineLatest/none", run: subAny(rx.CombineLatest[int]()), want: []string{"complete"}},
		{name: "CombineLatest2", run: subAny(rx.CombineLatest2(rx.Of(1, 2), rx.Of("a"), func(n int, s string) string {
			return fmt.Sprint(n, s)
		})), want: []string{"2a", "complete"}},
		{name: "CombineLatest3", run: subAny(rx.CombineLatest3(rx.Of(1), rx.Of("a"), rx.Of(true), func(n int, s string, b bool) string {
			return fmt.Sprint(n, s, b)
		})), want: []string{"1atrue", "complete"}},
		{name: "CombineLatestWith", run: subAny(rx.CombineLatestWith(rx.Of(1, 2), rx.Of(3))), want: []string{"[2 3]", "complete"}},
		{name: "CombineLatestAll", run: subAny(rx.CombineLatestAll(rx.Of(rx.Of(1), rx.Of(2, 3)))),
			want: []string{"[1 2]", "[1 3]", "complete"}},
		{name: "WithLatestFrom", timed: true, run: subAny(rx.WithLatestFrom(
			timeline(at(100*ms, "a"), at(300*ms, "b"), at(500*ms, "c"), endAt[string](600*ms)),
			timeline(at(200*ms, 1), at(400*ms, 2), endAt[int](450*ms)),
			func(s string, n int) string { return fmt.Sprint(s, n) })),
			want: []string{"b1@300ms", "c2@500ms", "complete@600ms"}},
		{name: "WithLatestFrom/other fails", run: subAny(rx.WithLatestFrom(rx.Never[int](), rx.Throw[int](errBoom),
			func(a, b int) int { return a })), want: []string{"error: boom"}},
		{name: "Zip", timed: true, run: subAny(rx.Zip(
			timeline(at(100*ms, 1), at(200*ms, 2), at(300*ms, 3), endAt[int](350*ms)),
			timeline(at(250*ms, 10), at(400*ms, 20), at(500*ms, 30), endAt[int](600*ms)))),
			want: []string{"[1 10]@250ms", "[2 20]@400ms", "[3 30]@500ms", "complete@500ms"}},
		{name: "Zip/shorter", run: subAny(rx.Zip(rx.Of(1, 2, 3), rx.Of(4))), want: []string{"[1 4]", "complete"}},
		// oneTwoBoom fails during its Subscribe, before the second source is
		// subscribed: as in RxJS, nothing is zipped.
		{name: "Zip/error", run: subAny(rx.Zip(oneTwoBoom(), rx.Of(1, 2, 3))), want: []string{"error: boom"}},
		{name: "Zip/error later", run: subAny(rx.Zip(rx.Of(1, 2, 3), oneTwoBoom())), want: []string{"[1 1]", "[2 2]", "error: boom"}},
		{name: "Zip2", run: subAny(rx.Zip2(rx.Of(1, 2), rx.Of("a", "b", "c"), func(n int, s string) string { return fmt.Sprint(n, s) })),
			want: []string{"1a", "2b", "complete"}},
		{name: "ZipWith", run: subAny(rx.ZipWith(rx.Of(1, 2), rx.Of(3, 4))), want: []string{"[1 3]", "[2 4]", "complete"}},
		{name: "ZipAll", run: subAny(rx.ZipAll(rx.Of(rx.Of(1, 2), rx.Of(3, 4)))), want: []string{"[1 3]", "[2 4]", "complete"}},
		{name: "ForkJoin", timed: true, run: subAny(rx.ForkJoin(
			timeline(at(100*ms, 1), at(200*ms, 2), endAt[int](300*ms)),
			timeline(at(50*ms, 10), endAt[int](500*ms)))),
			want: []string{"[2 10]@500ms", "complete@500ms"}},
		{name: "ForkJoin/empty input", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.ForkJoin(tracked(l, rx.Never[int]()), rx.Empty[int]()))
		}, want: []string{"complete", "teardown"}},
		{name: "ForkJoin/error", run: subAny(rx.ForkJoin(rx.Never[int](), oneTwoBoom())), want: []string{"error: boom"}},
		{name: "ForkJoin/none", run: subAny(rx.ForkJoin[int]()), want: []string{"complete"}},
		{name: "ForkJoin2", run: subAny(rx.ForkJoin2(rx.Of(1, 2), rx.Of("z"), func(n int, s string) string { return fmt.Sprint(n, s) })),
			want: []string{"2z", "complete"}},
		{name: "Race", timed: true, run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.Race(
				tracked(l, timeline(at(300*ms, 1), endAt[int](400*ms))),
				timeline(at(200*ms, 2), at(500*ms, 3), endAt[int](600*ms))))
		}, want: []string{"teardown@200ms", "2@200ms", "3@500ms", "complete@600ms"}},
		{name: "Race/error wins", run: subAny(rx.Race(rx.Never[int](), rx.Throw[int](errBoom))), want: []string{"error: boom"}},
		{name: "RaceWith", run: subAny(rx.RaceWith(rx.Of(1), rx.Of(2))), want: []string{"1", "complete"}},
		{name: "MergeWith", run: subAny(rx.MergeWith(rx.Of(1), rx.Of(2))), want: []string{"1", "2", "complete"}},
		{name: "ConcatWith", run: subAny(rx.ConcatWith(rx.Of(1), rx.Of(2))), want: []string{"1", "2", "complete"}},
		{name: "EndWith", run: subAny(rx.EndWith(rx.Of(1), 8, 9)), want: []string{"1", "8", "9", "complete"}},
		{name: "EndWith/error", run: subAny(rx.EndWith(oneTwoBoom(), 9)), want: []string{"1", "2", "error: boom"}},
	})
}

func TestFilteringOperators(t *testing.T) {
	gt2 := func(v int) bool { return v > 2 }
	runCases(t, []seqCase{
		{name: "First", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.First(tracked(l, rx.Of(1, 2)))) },
			want: []string{"1", "complete", "teardown"}},
		{name: "First/empty", run: subAny(rx.First(rx.Empty[int]())), want: []string{"error: rx: no elements in sequence"}},
		{name: "First/error", run: subAny(rx.First(rx.Throw[int](errBoom))), want: []string{"error: boom"}},
		{name: "FirstWhere", run: subAny(rx.FirstWhere(rx.Of(1, 2, 3, 4), gt2)), want: []string{"3", "complete"}},
		{name: "Last", run: subAny(rx.Last(rx.Of(1, 2, 3))), want: []string{"3", "complete"}},
		{name: "Last/empty", run: subAny(rx.Last(rx.Empty[int]())), want: []string{"error: rx: no elements in sequence"}},
		{name: "Last/error", run: subAny(rx.Last(oneTwoBoom())), want: []string{"error: boom"}},
		{name: "LastWhere", run: subAny(rx.LastWhere(rx.Of(1, 4, 3, 2), gt2)), want: []string{"3", "complete"}},
		{name: "Single", run: subAny(rx.Single(rx.Of(7))), want: []string{"7", "complete"}},
		{name: "Single/two", run: subAny(rx.Single(rx.Of(7, 8))), want: []string{"error: rx: too many matching values"}},
		{name: "SingleWhere", run: subAny(rx.SingleWhere(rx.Of(1, 5, 2), gt2)), want: []string{"5", "complete"}},
		{name: "SingleWhere/not found", run: subAny(rx.SingleWhere(rx.Of(1, 2), gt2)), want: []string{"error: rx: no matching values"}},
		{name: "SingleWhere/empty", run: subAny(rx.SingleWhere(rx.Empty[int](), gt2)), want: []string{"error: rx: no elements in sequence"}},
		{name: "SingleWhere/two", run: subAny(rx.SingleWhere(rx.Of(3, 4), gt2)), want: []string{"error: rx: too many matching values"}},
		{name: "ElementAt", run: subAny(rx.ElementAt(rx.Of(5, 6, 7), 1)), want: []string{"6", "complete"}},
		{name: "ElementAt/out of range", run: subAny(rx.ElementAt(rx.Of(5), 1)), want: []string{"error: rx: argument out of range"}},
		{name: "TakeLast", run: subAny(rx.TakeLast(rx.Of(1, 2, 3, 4, 5), 2)), want: []string{"4", "5", "complete"}},
		{name: "TakeLast/fewer", run: subAny(rx.TakeLast(rx.Of(1), 3)), want: []string{"1", "complete"}},
		{name: "TakeLast/0", run: func(l *tlog) rx.Subscription {
			return subscribe(l, rx.TakeLast(rx.Tap(rx.Of(1), func(int) { l.add("subscribed") }), 0))
		}, want: []string{"complete"}},
		{name: "TakeLast/error", run: subAny(rx.TakeLast(oneTwoBoom(), 2)), want: []string{"error: boom"}},
		{name: "SkipLast", run: subAny(rx.SkipLast(rx.Of(1, 2, 3, 4), 2)), want: []string{"1", "2", "complete"}},
		{name: "SkipWhile", run: subAny(rx.SkipWhile(rx.Of(1, 2, 3, 1), lessThan3)), want: []string{"3", "1", "complete"}},
		{name: "SkipWhile/error", run: subAny(rx.SkipWhile(oneTwoBoom(), lessThan3)), want: []string{"error: boom"}},
		{name: "SkipUntil", timed: true, run: subAny(rx.SkipUntil(
			timeline(at(100*ms, 1), at(300*ms, 2), at(400*ms, 3), endAt[int](500*ms)),
			timeline(at(200*ms, "go")))),
			want: []string{"2@300ms", "3@400ms", "complete@500ms"}},
		{name: "SkipUntil/never", run: subAny(rx.SkipUntil(rx.Of(1, 2), rx.Empty[int]())), want: []string{"complete"}},
		{name: "IgnoreElements", run: subAny(rx.IgnoreElements(rx.Of(1, 2))), want: []string{"complete"}},
		{name: "DefaultIfEmpty", run: subAny(rx.DefaultIfEmpty(rx.Empty[int](), 9)), want: []string{"9", "complete"}},
		{name: "DefaultIfEmpty/values", run: subAny(rx.DefaultIfEmpty(rx.Of(1), 9)), want: []string{"1", "complete"}},
		{name: "ThrowIfEmpty", run: subAny(rx.ThrowIfEmpty(rx.Empty[int](), func() error { return errOther })), want: []string{"error: other"}},
		{name: "ThrowIfEmpty/nil factory", run: subAny(rx.ThrowIfEmpty(rx.Empty[int](), nil)), want: []string{"error: rx: no elements in sequence"}},
		{name: "Distinct", run: subAny(rx.Distinct(rx.Of(1, 2, 1, 3, 2))), want: []string{"1", "2", "3", "complete"}},
		{name: "DistinctBy", run: subAny(rx.DistinctBy(rx.Of("a", "bb", "c", "dd", "eee"), func(s string) int { return len(s) })),
			want: []string{"a", "bb", "eee", "complete"}},
		{name: "DistinctUntilKeyChanged", run: subAny(rx.DistinctUntilKeyChanged(rx.Of("a", "b", "cc", "d"), func(s string) int { return len(s) })),
			want: []string{"a", "cc", "d", "complete"}},
		{name: "Sample", timed: true, run: subAny(rx.Sample(
			timeline(at(100*ms, 1), at(200*ms, 2), at(500*ms, 3), endAt[int](700*ms)),
			timeline(at(300*ms, 0), at(400*ms, 0), at(600*ms, 0)))),
			want: []string{"2@300ms", "3@600ms", "complete@700ms"}},
		{name: "SampleTime", timed: true, run: subAny(rx.SampleTime(
			timeline(at(100*ms, 1), at(200*ms, 2), at(1200*ms, 3), endAt[int](2500*ms)), sec)),
			want: []string{"2@1s", "3@2s", "complete@2.5s"}},
		{name: "Audit", timed: true, run: subAny(rx.Audit(
			timeline(at(0, 1), at(100*ms, 2), at(600*ms, 3), endAt[int](700*ms)),
			func(int) rx.Observable[int] { return rx.Timer(300 * ms) })),
			want: []string{"2@300ms", "3@900ms", "complete@900ms"}},
		{name: "AuditTime", timed: true, run: subAny(rx.AuditTime(
			timeline(at(0, 1), at(100*ms, 2), endAt[int](200*ms)), 300*ms)),
			want: []string{"2@300ms", "complete@300ms"}},
		{name: "ThrottleTime/leading+trailing", timed: true, run: subAny(rx.ThrottleTime(
			timeline(at(0, 1), at(100*ms, 2), at(200*ms, 3), at(700*ms, 4), endAt[int](1500*ms)),
			300*ms, rx.ThrottleConfig{Leading: true, Trailing: true})),
			want: []string{"1@0s", "3@300ms", "4@700ms", "complete@1.5s"}},
		{name: "ThrottleTime/trailing", timed: true, run: subAny(rx.ThrottleTime(
			timeline(at(0, 1), at(100*ms, 2), endAt[int](200*ms)),
			300*ms, rx.ThrottleConfig{Trailing: true})),
			want: []string{"2@300ms", "complete@300ms"}},
	})
}

func TestTransformationOperators(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Pairwise", run: subAny(rx.Pairwise(rx.Of(1, 2, 3))), want: []string{"[1 2]", "[2 3]", "complete"}},
		{name: "BufferCount", run: subAny(rx.BufferCount(rx.Of(1, 2, 3, 4, 5), 2, 0)), want: []string{"[1 2]", "[3 4]", "[5]", "complete"}},
		{name: "BufferCount/overlap", run: subAny(rx.BufferCount(rx.Of(1, 2, 3, 4), 3, 1)),
			want: []string{"[1 2 3]", "[2 3 4]", "[3 4]", "[4]", "complete"}},
		{name: "BufferCount/error", run: subAny(rx.BufferCount(oneTwoBoom(), 5, 0)), want: []string{"error: boom"}},
		{name: "Buffer", timed: true, run: subAny(rx.Buffer(
			timeline(at(100*ms, 1), at(200*ms, 2), at(400*ms, 3), endAt[int](500*ms)),
			timeline(at(300*ms, 0), at(350*ms, 0)))),
			want: []string{"[1 2]@300ms", "[]@350ms", "[3]@500ms", "complete@500ms"}},
		{name: "WindowCount", run: subAny(rx.MergeMap(rx.WindowCount(rx.Of(1, 2, 3), 2, 0), rx.ToArray[int])),
			want: []string{"[1 2]", "[3]", "complete"}},
		{name: "WindowTime", timed: true, run: subAny(rx.MergeMap(rx.WindowTime(
			timeline(at(100*ms, 1), at(1200*ms, 2), at(1300*ms, 3), endAt[int](1500*ms)), sec), rx.ToArray[int])),
			want: []string{"[1]@1s", "[2 3]@1.5s", "complete@1.5s"}},
		{name: "GroupBy", run: subAny(rx.MergeMap(rx.GroupBy(rx.Of(1, 2, 3, 4, 5), isOdd), func(g rx.Grouped[bool, int]) rx.Observable[string] {
			return rx.Map(rx.ToArray(g.Observable), func(vs []int) string { return fmt.Sprint(g.Key, vs) })
		})), want: []string{"true [1 3 5]", "false [2 4]", "complete"}},
		{name: "GroupBy/error", run: subAny(rx.MergeMap(rx.GroupBy(oneTwoBoom(), isOdd), func(g rx.Grouped[bool, int]) rx.Observable[int] {
			return g.Observable
		})), want: []string{"1", "2", "error: boom"}},
		{name: "ExhaustMap", timed: true, run: subAny(rx.ExhaustMap(
			timeline(at(0, 1), at(100*ms, 2), at(400*ms, 3), endAt[int](450*ms)),
			func(v int) rx.Observable[int] { return rx.Map(rx.Timer(300*ms), func(int) int { return v }) })),
			want: []string{"1@300ms", "3@700ms", "complete@700ms"}},
		{name: "MergeScan", run: subAny(rx.MergeScan(rx.Of(1, 2, 3), func(acc, v int) rx.Observable[int] { return rx.Of(acc + v) }, 10)),
			want: []string{"11", "13", "16", "complete"}},
		{name: "SwitchScan", run: subAny(rx.SwitchScan(rx.Of(1, 2), func(acc, v int) rx.Observable[int] { return rx.Of(acc+v, acc*v) }, 1)),
			want: []string{"2", "1", "3", "2", "complete"}},
		{name: "Expand", run: subAny(rx.Expand(rx.Of(1), func(v int) rx.Observable[int] {
			if v >= 8 {
				return rx.Empty[int]()
			}
			return rx.Of(v * 2)
		})), want: []string{"1", "2", "4", "8", "complete"}},
		{name: "MergeAll", run: subAny(rx.MergeAll(rx.Of(rx.Of(1), rx.Of(2)))), want: []string{"1", "2", "complete"}},
		{name: "ConcatAll", run: subAny(rx.ConcatAll(rx.Of(rx.Of(1), rx.Of(2)))), want: []string{"1", "2", "complete"}},
		{name: "SwitchAll", run: subAny(rx.SwitchAll(rx.Of(rx.Of(1), rx.Of(2)))), want: []string{"1", "2", "complete"}},
		{name: "ExhaustAll", run: subAny(rx.ExhaustAll(rx.Of(rx.Of(1), rx.Of(2)))), want: []string{"1", "2", "complete"}},
		{name: "Materialize", run: subAny(rx.Map(rx.Materialize(oneTwoBoom()), showNotification)),
			want: []string{"N1", "N2", "E:boom", "complete"}},
		{name: "Dematerialize", run: subAny(rx.Dematerialize(rx.Materialize(oneTwoBoom()))), want: []string{"1", "2", "error: boom"}},
		{name: "Dematerialize/complete", run: subAny(rx.Dematerialize(rx.Of(rx.Notification[int]{Kind: rx.KindNext, Value: 1},
			rx.Notification[int]{Kind: rx.KindComplete}, rx.Notification[int]{Kind: rx.KindNext, Value: 2}))),
			want: []string{"1", "complete"}},
	})
}

func showNotification(n rx.Notification[int]) string {
	switch n.Kind {
	case rx.KindNext:
		return fmt.Sprint("N", n.Value)
	case rx.KindError:
		return "E:" + n.Err.Error()
	}
	return "C"
}

func TestAggregateOperators(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Reduce", run: subAny(rx.Reduce(rx.Of(1, 2, 3), sum, 10)), want: []string{"16", "complete"}},
		{name: "Reduce/empty", run: subAny(rx.Reduce(rx.Empty[int](), sum, 10)), want: []string{"10", "complete"}},
		{name: "Reduce/error", run: subAny(rx.Reduce(oneTwoBoom(), sum, 0)), want: []string{"error: boom"}},
		{name: "Count", run: subAny(rx.Count(rx.Of("a", "b"))), want: []string{"2", "complete"}},
		{name: "ToArray", run: subAny(rx.ToArray(rx.Of(1, 2))), want: []string{"[1 2]", "complete"}},
		{name: "ToArray/empty", run: subAny(rx.Map(rx.ToArray(rx.Empty[int]()), func(v []int) bool { return v != nil })),
			want: []string{"true", "complete"}},
		{name: "Max", run: subAny(rx.Max(rx.Of(3, 9, 2))), want: []string{"9", "complete"}},
		{name: "Max/empty", run: subAny(rx.Max(rx.Empty[int]())), want: []string{"complete"}},
		{name: "Min", run: subAny(rx.Min(rx.Of("b", "a", "c"))), want: []string{"a", "complete"}},
		{name: "MaxFunc", run: subAny(rx.MaxFunc(rx.Of("bb", "a", "cc"), func(a, b string) int { return len(a) - len(b) })),
			want: []string{"bb", "complete"}},
		{name: "MinFunc", run: subAny(rx.MinFunc(rx.Of("bb", "a", "c"), func(a, b string) int { return len(a) - len(b) })),
			want: []string{"a", "complete"}},
		{name: "Every", run: subAny(rx.Every(rx.Of(1, 3), isOdd)), want: []string{"true", "complete"}},
		{name: "Every/false", run: func(l *tlog) rx.Subscription { return subscribe(l, rx.Every(tracked(l, rx.Of(1, 2, 3)), isOdd)) },
			want: []string{"false", "complete", "teardown"}},
		{name: "IsEmpty", run: subAny(rx.IsEmpty(rx.Empty[int]())), want: []string{"true", "complete"}},
		{name: "IsEmpty/no", run: subAny(rx.IsEmpty(rx.Never[int]())), want: nil},
		{name: "IsEmpty/value", run: subAny(rx.IsEmpty(rx.Of(1))), want: []string{"false", "complete"}},
		{name: "Find", run: subAny(rx.Find(rx.Of(1, 2, 3), func(v int) bool { return v > 1 })), want: []string{"2", "complete"}},
		{name: "Find/none", run: subAny(rx.Find(rx.Of(1), func(v int) bool { return v > 1 })), want: []string{"complete"}},
		{name: "FindIndex", run: subAny(rx.FindIndex(rx.Of(5, 6, 7), func(v int) bool { return v == 7 })), want: []string{"2", "complete"}},
		{name: "FindIndex/none", run: subAny(rx.FindIndex(rx.Of(5), func(v int) bool { return v == 7 })), want: []string{"-1", "complete"}},
		{name: "SequenceEqual", run: subAny(rx.SequenceEqual(rx.Of(1, 2), rx.Of(1, 2))), want: []string{"true", "complete"}},
		{name: "SequenceEqual/differ", run: subAny(rx.SequenceEqual(rx.Of(1, 2), rx.Of(1, 3))), want: []string{"false", "complete"}},
		{name: "SequenceEqual/shorter", run: subAny(rx.SequenceEqual(rx.Of(1, 2), rx.Of(1))), want: []string{"false", "complete"}},
		{name: "SequenceEqual/error", run: subAny(rx.SequenceEqual(rx.Of(1, 2), oneTwoBoom())), want: []string{"error: boom"}},
	})
}

func TestUtilityOperators(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Delay", timed: true, run: subAny(rx.Delay(timeline(at(100*ms, 1), at(200*ms, 2), endAt[int](250*ms)), sec)),
			want: []string{"1@1.1s", "2@1.2s", "complete@1.2s"}},
		{name: "Delay/sync", timed: true, run: subAny(rx.Delay(rx.Of(1, 2), sec)), want: []string{"1@1s", "2@1s", "complete@1s"}},
		{name: "Delay/error at once", timed: true, run: subAny(rx.Delay(timeline(at(100*ms, 1), failAt[int](200*ms, errBoom)), sec)),
			want: []string{"error: boom@200ms"}},
		{name: "Delay/empty", timed: true, run: subAny(rx.Delay(rx.Empty[int](), sec)), want: []string{"complete@0s"}},
		{name: "DelayWhen", timed: true, run: subAny(rx.DelayWhen(rx.Of(3, 1, 2), func(v int) rx.Observable[int] {
			return rx.Timer(time.Duration(v) * 100 * ms)
		})), want: []string{"1@100ms", "2@200ms", "3@300ms", "complete@300ms"}},
		{name: "TimeInterval", timed: true, run: subAny(rx.Map(rx.TimeInterval(timeline(at(100*ms, "a"), at(400*ms, "b"), endAt[string](500*ms))),
			func(v rx.TimeIntervalValue[string]) string { return fmt.Sprint(v.Value, v.Interval) })),
			want: []string{"a100ms@100ms", "b300ms@400ms", "complete@500ms"}},
		{name: "Timestamp", timed: true, run: func(l *tlog) rx.Subscription {
			start := time.Now()
			return subscribe(l, rx.Map(rx.Timestamp(timeline(at(100*ms, "a"), endAt[string](200*ms))),
				func(v rx.Timestamped[string]) string { return fmt.Sprint(v.Value, v.Time.Sub(start)) }))
		}, want: []string{"a100ms@100ms", "complete@200ms"}},
		{name: "Repeat", run: subAny(rx.Repeat(rx.Of(1, 2), 3)), want: []string{"1", "2", "1", "2", "1", "2", "complete"}},
		{name: "Repeat/0", run: subAny(rx.Repeat(rx.Of(1), 0)), want: []string{"complete"}},
		{name: "Repeat/error", run: subAny(rx.Repeat(oneTwoBoom(), 3)), want: []string{"1", "2", "error: boom"}},
		{name: "RepeatWith/delay", timed: true, run: subAny(rx.RepeatWith(rx.Of(1), rx.RepeatConfig{Count: 3, Delay: sec})),
			want: []string{"1@0s", "1@1s", "1@2s", "complete@2s"}},
		{name: "RepeatWith/for ever", timed: true, stopAt: 2500 * ms, run: subAny(rx.RepeatWith(rx.Of(1), rx.RepeatConfig{Delay: sec})),
			want: []string{"1@0s", "1@1s", "1@2s"}},
		{name: "RepeatWith/delay func", timed: true, run: subAny(rx.RepeatWith(rx.Of(1), rx.RepeatConfig{Count: 3,
			DelayFunc: func(n int) time.Duration { return time.Duration(n) * sec }})),
			want: []string{"1@0s", "1@1s", "1@3s", "complete@3s"}},
		{name: "RetryWith/delay", timed: true, run: subAny(rx.RetryWith(oneTwoBoom(), rx.RetryConfig{Count: 2, Delay: sec})),
			want: []string{"1@0s", "2@0s", "1@1s", "2@1s", "1@2s", "2@2s", "error: boom@2s"}},
		{name: "RetryWith/delay func stops", timed: true, run: subAny(rx.RetryWith(oneTwoBoom(), rx.RetryConfig{
			DelayFunc: func(err error, n int) (time.Duration, error) {
				if n > 1 {
					return 0, fmt.Errorf("gave up after %d: %w", n-1, err)
				}
				return 500 * ms, nil
			}})),
			want: []string{"1@0s", "2@0s", "1@500ms", "2@500ms", "error: gave up after 1: boom@500ms"}},
		{name: "RetryWith/unsubscribe while waiting", timed: true, stopAt: 500 * ms, run: subAny(rx.RetryWith(oneTwoBoom(), rx.RetryConfig{Delay: sec})),
			want: []string{"1@0s", "2@0s"}},
		{name: "ShareReplay/late subscriber after complete", run: func(l *tlog) rx.Subscription {
			subscribes := 0
			src := rx.ShareReplay(rx.Defer(func() rx.Observable[int] { subscribes++; return rx.Of(1, 2, 3) }), rx.ShareReplayConfig{BufferSize: 2})
			subscribe(l, src)
			l.add("late")
			s := subscribe(l, src)
			l.add("subscribes %d", subscribes)
			return s
		}, want: []string{"1", "2", "3", "complete", "late", "2", "3", "complete", "subscribes 1"}},
		{name: "ShareWith/no reset on complete", run: func(l *tlog) rx.Subscription {
			src := rx.ShareWith(rx.Of(1), rx.ShareConfig[int]{ResetOnError: true, ResetOnRefCountZero: true})
			subscribe(l, src)
			return subscribe(l, src)
		}, want: []string{"1", "complete", "complete"}},
		{name: "Connect", run: subAny(rx.Connect(rx.Of(1, 2, 3), func(shared rx.Observable[int]) rx.Observable[int] {
			return rx.Merge(rx.Filter(shared, isOdd), rx.Map(rx.Filter(shared, func(v int) bool { return !isOdd(v) }), double))
		})), want: []string{"1", "4", "3", "complete"}},
	})
}

// RxJS's retry({count, resetOnSuccess}) as in RxJS 7's release notes:
// values ['_', 0, 1, 0, 2, 0, 3, 0, 0, 0, 4], each subscription drops the
// first, 0 throws. Without reset the second error ends it (1, ERROR); with
// reset every success gives two more tries (1, 2, 3, ERROR).
func TestRetryResetOnSuccess(t *testing.T) {
	for _, c := range []struct {
		reset bool
		want  string
	}{{false, "1 ERROR"}, {true, "1 2 3 ERROR"}} {
		t.Run(fmt.Sprint("reset=", c.reset), func(t *testing.T) {
			values := []int{-1, 0, 1, 0, 2, 0, 3, 0, 0, 0, 4}
			src := rx.Defer(func() rx.Observable[int] {
				values = values[1:]
				return rx.Map(rx.From(values), func(v int) int {
					if v == 0 {
						panic("ERROR")
					}
					return v
				})
			})
			var got []string
			rx.RetryWith(src, rx.RetryConfig{Count: 2, ResetOnSuccess: c.reset}).Subscribe(t.Context(), rx.ObserverFuncs[int]{
				OnNext: func(v int) { got = append(got, fmt.Sprint(v)) },
				OnError: func(err error) {
					if pe, ok := errors.AsType[*rx.PanicError](err); ok {
						got = append(got, fmt.Sprint(pe.Value))
					}
				},
			})
			if strings.Join(got, " ") != c.want {
				t.Fatalf("got %v, want %s", got, c.want)
			}
		})
	}
}
