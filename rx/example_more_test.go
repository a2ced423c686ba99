package rx_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// The examples of the operators added for RxJS parity. Time-based ones use
// synchronous sources or wide margins, so that their output does not depend
// on the machine's speed.

func ExampleRange() {
	print(rx.Range(5, 3))
	// Output: [5 6 7]
}

func ExampleGenerate() {
	print(rx.Generate(1, func(v int) bool { return v <= 100 }, func(v int) int { return v * 10 }))
	// Output: [1 10 100]
}

func ExampleIif() {
	loggedIn := false
	print(rx.Iif(func() bool { return loggedIn }, rx.Of("welcome back"), rx.Of("please log in")))
	// Output: [please log in]
}

func ExamplePartition() {
	evens, odds := rx.Partition(rx.Of(1, 2, 3, 4), func(v int) bool { return v%2 == 0 })
	print(evens)
	print(odds)
	// Output:
	// [2 4]
	// [1 3]
}

func ExampleTimerPeriod() {
	// 0 after 20ms, then one every 10ms.
	print(rx.Take(rx.TimerPeriod(20*time.Millisecond, 10*time.Millisecond), 3))
	// Output: [0 1 2]
}

func ExampleCombineLatest() {
	print(rx.CombineLatest(rx.Of(1, 2), rx.Of(10)))
	// Output: [[2 10]]
}

func ExampleCombineLatest2() {
	// A stock ticker: each price, with the latest currency.
	price := rx.Of(101.5)
	currency := rx.Of("EUR")
	print(rx.CombineLatest2(price, currency, func(p float64, c string) string { return fmt.Sprintf("%.1f %s", p, c) }))
	// Output: [101.5 EUR]
}

func ExampleCombineLatest3() {
	print(rx.CombineLatest3(rx.Of(1), rx.Of("a"), rx.Of(true), func(n int, s string, b bool) string { return fmt.Sprint(n, s, b) }))
	// Output: [1atrue]
}

func ExampleCombineLatestWith() {
	print(rx.CombineLatestWith(rx.Of("x"), rx.Of("y", "z")))
	// Output: [[x y] [x z]]
}

func ExampleCombineLatestAll() {
	print(rx.CombineLatestAll(rx.Of(rx.Of(1), rx.Of(2, 3))))
	// Output: [[1 2] [1 3]]
}

func ExampleWithLatestFrom() {
	user := rx.NewBehaviorSubject("ada")
	clicks := rx.Of(1, 2)
	print(rx.WithLatestFrom(clicks, user.AsObservable(), func(n int, u string) string { return fmt.Sprint(u, " clicked ", n) }))
	// Output: [ada clicked 1 ada clicked 2]
}

func ExampleZip() {
	print(rx.Zip(rx.Of(1, 2, 3), rx.Of(10, 20)))
	// Output: [[1 10] [2 20]]
}

func ExampleZip2() {
	print(rx.Zip2(rx.Of("a", "b"), rx.Of(1, 2), func(s string, n int) string { return fmt.Sprint(s, n) }))
	// Output: [a1 b2]
}

func ExampleZip3() {
	print(rx.Zip3(rx.Of("a"), rx.Of(1), rx.Of(true), func(s string, n int, b bool) string { return fmt.Sprint(s, n, b) }))
	// Output: [a1 true]
}

func ExampleZipWith() {
	print(rx.ZipWith(rx.Of(1, 2), rx.Of(3, 4)))
	// Output: [[1 3] [2 4]]
}

func ExampleZipAll() {
	print(rx.ZipAll(rx.Of(rx.Of(1, 2), rx.Of(3, 4))))
	// Output: [[1 3] [2 4]]
}

func ExampleForkJoin() {
	print(rx.ForkJoin(rx.Of(1, 2), rx.Of(3)))
	// Output: [[2 3]]
}

func ExampleForkJoin2() {
	user := rx.Of("ada")
	count := rx.Of(3)
	print(rx.ForkJoin2(user, count, func(u string, n int) string { return fmt.Sprint(u, " has ", n) }))
	// Output: [ada has 3]
}

func ExampleForkJoin3() {
	print(rx.ForkJoin3(rx.Of(1), rx.Of(2), rx.Of(3), func(a, b, c int) int { return a + b + c }))
	// Output: [6]
}

func ExampleRace() {
	slow := rx.Map(rx.Timer(time.Second), func(int) string { return "slow" })
	fast := rx.Of("fast")
	print(rx.Race(slow, fast))
	// Output: [fast]
}

func ExampleRaceWith() {
	print(rx.RaceWith(rx.Never[int](), rx.Of(7)))
	// Output: [7]
}

func ExampleMergeWith() {
	print(rx.MergeWith(rx.Of(1), rx.Of(2)))
	// Output: [1 2]
}

func ExampleConcatWith() {
	print(rx.ConcatWith(rx.Of(1), rx.Of(2), rx.Of(3)))
	// Output: [1 2 3]
}

func ExampleEndWith() {
	print(rx.EndWith(rx.Of("a", "b"), "end"))
	// Output: [a b end]
}

func ExampleFirst() {
	print(rx.First(rx.Of(3, 4)))
	print(rx.First(rx.Empty[int]()))
	// Output:
	// [3]
	// [] error: rx: no elements in sequence
}

func ExampleFirstWhere() {
	print(rx.FirstWhere(rx.Of(1, 5, 7), func(v int) bool { return v > 4 }))
	// Output: [5]
}

func ExampleLast() {
	print(rx.Last(rx.Of(3, 4)))
	// Output: [4]
}

func ExampleLastWhere() {
	print(rx.LastWhere(rx.Of(1, 5, 7, 2), func(v int) bool { return v > 4 }))
	// Output: [7]
}

func ExampleSingle() {
	print(rx.Single(rx.Of(1)))
	print(rx.Single(rx.Of(1, 2)))
	// Output:
	// [1]
	// [] error: rx: too many matching values
}

func ExampleSingleWhere() {
	print(rx.SingleWhere(rx.Of(1, 2, 3), func(v int) bool { return v == 2 }))
	// Output: [2]
}

func ExampleElementAt() {
	print(rx.ElementAt(rx.Of("a", "b", "c"), 1))
	// Output: [b]
}

func ExampleTakeLast() {
	print(rx.TakeLast(rx.Range(0, 10), 3))
	// Output: [7 8 9]
}

func ExampleSkipLast() {
	print(rx.SkipLast(rx.Of(1, 2, 3, 4), 1))
	// Output: [1 2 3]
}

func ExampleSkipWhile() {
	print(rx.SkipWhile(rx.Of(1, 2, 5, 1), func(v int) bool { return v < 3 }))
	// Output: [5 1]
}

func ExampleSkipUntil() {
	// Nothing passes until the notifier has emitted.
	print(rx.SkipUntil(rx.Of(1, 2), rx.Of("go")))
	print(rx.SkipUntil(rx.Of(1, 2), rx.Never[string]()))
	// Output:
	// [1 2]
	// []
}

func ExampleIgnoreElements() {
	print(rx.IgnoreElements(rx.Of(1, 2)))
	// Output: []
}

func ExampleDefaultIfEmpty() {
	print(rx.DefaultIfEmpty(rx.Empty[string](), "none"))
	// Output: [none]
}

func ExampleThrowIfEmpty() {
	errNotFound := errors.New("not found")
	print(rx.ThrowIfEmpty(rx.Empty[int](), func() error { return errNotFound }))
	// Output: [] error: not found
}

func ExampleDistinct() {
	print(rx.Distinct(rx.Of(1, 2, 1, 3, 2)))
	// Output: [1 2 3]
}

func ExampleDistinctBy() {
	type user struct {
		ID   int
		Name string
	}
	users := rx.Of(user{1, "ada"}, user{2, "bob"}, user{1, "ada again"})
	print(rx.Map(rx.DistinctBy(users, func(u user) int { return u.ID }), func(u user) string { return u.Name }))
	// Output: [ada bob]
}

func ExampleDistinctUntilKeyChanged() {
	print(rx.DistinctUntilKeyChanged(rx.Of("a", "b", "cc", "d"), func(s string) int { return len(s) }))
	// Output: [a cc d]
}

func ExampleSample() {
	// Sampling when the notifier emits: here once the source is done
	// emitting synchronously, so the latest value comes through.
	ticks := rx.NewSubject[int]()
	values := rx.NewSubject[string]()
	sampled := rx.Sample(values.AsObservable(), ticks.AsObservable())
	done := make(chan struct{})
	sampled.Subscribe(context.Background(), rx.ObserverFuncs[string]{
		OnNext:     func(v string) { fmt.Println(v) },
		OnComplete: func() { close(done) },
	})
	values.Next("a")
	values.Next("b")
	ticks.Next(0) // b
	ticks.Next(0) // nothing new
	values.Next("c")
	ticks.Next(0) // c
	values.Complete()
	<-done
	// Output:
	// b
	// c
}

func ExampleSampleTime() {
	// 1, 2, 3 at once, then 4 after 200ms: the sample at 50ms takes 3; 4
	// comes with the completion, between samples, and is not emitted.
	src := rx.Concat(rx.Of(1, 2, 3), rx.Delay(rx.Of(4), 200*time.Millisecond))
	print(rx.SampleTime(src, 50*time.Millisecond))
	// Output: [3]
}

func ExampleAudit() {
	print(rx.Audit(rx.Of(1, 2, 3), func(int) rx.Observable[int] { return rx.Timer(10 * time.Millisecond) }))
	// Output: [3]
}

func ExampleAuditTime() {
	print(rx.AuditTime(rx.Of(1, 2, 3), 10*time.Millisecond))
	// Output: [3]
}

func ExampleThrottleTime() {
	// The first value of the burst at once, the last when the window ends.
	print(rx.ThrottleTime(rx.Of(1, 2, 3), 10*time.Millisecond, rx.ThrottleConfig{Leading: true, Trailing: true}))
	// Output: [1 3]
}

func ExampleReduce() {
	print(rx.Reduce(rx.Of(1, 2, 3), func(acc, v int) int { return acc + v }, 0))
	// Output: [6]
}

func ExampleCount() {
	print(rx.Count(rx.Of("a", "b", "c")))
	// Output: [3]
}

func ExampleToArray() {
	print(rx.ToArray(rx.Of(1, 2)))
	// Output: [[1 2]]
}

func ExampleMax() {
	print(rx.Max(rx.Of(3, 9, 2)))
	// Output: [9]
}

func ExampleMaxFunc() {
	print(rx.MaxFunc(rx.Of("go", "rxjs", "nest"), func(a, b string) int { return len(a) - len(b) }))
	// Output: [rxjs]
}

func ExampleMin() {
	print(rx.Min(rx.Of(3, 9, 2)))
	// Output: [2]
}

func ExampleMinFunc() {
	print(rx.MinFunc(rx.Of("go", "rxjs", "js"), func(a, b string) int { return len(a) - len(b) }))
	// Output: [go]
}

func ExampleEvery() {
	print(rx.Every(rx.Of(2, 4), func(v int) bool { return v%2 == 0 }))
	// Output: [true]
}

func ExampleIsEmpty() {
	print(rx.IsEmpty(rx.Empty[int]()))
	// Output: [true]
}

func ExampleFind() {
	print(rx.Find(rx.Of(1, 8, 9), func(v int) bool { return v > 5 }))
	// Output: [8]
}

func ExampleFindIndex() {
	print(rx.FindIndex(rx.Of(1, 8, 9), func(v int) bool { return v > 5 }))
	// Output: [1]
}

func ExampleSequenceEqual() {
	print(rx.SequenceEqual(rx.Of(1, 2, 3), rx.Range(1, 3)))
	// Output: [true]
}

func ExampleDelay() {
	start := time.Now()
	rx.ForEach(context.Background(), rx.Delay(rx.Of("late"), 20*time.Millisecond), func(v string) {
		fmt.Println(v, time.Since(start) >= 20*time.Millisecond)
	})
	// Output: late true
}

func ExampleDelayWhen() {
	// Each value waits its own time: 30ms, 10ms, 20ms.
	print(rx.DelayWhen(rx.Of(30, 10, 20), func(ms int) rx.Observable[int] {
		return rx.Timer(time.Duration(ms) * 5 * time.Millisecond)
	}))
	// Output: [10 20 30]
}

func ExampleTimeInterval() {
	print(rx.Map(rx.TimeInterval(rx.Delay(rx.Of("a"), 20*time.Millisecond)), func(v rx.TimeIntervalValue[string]) bool {
		return v.Interval >= 20*time.Millisecond
	}))
	// Output: [true]
}

func ExampleTimestamp() {
	start := time.Now()
	print(rx.Map(rx.Timestamp(rx.Of("a")), func(v rx.Timestamped[string]) bool { return !v.Time.Before(start) }))
	// Output: [true]
}

func ExampleRepeat() {
	print(rx.Repeat(rx.Of("ping"), 3))
	// Output: [ping ping ping]
}

func ExampleRepeatWith() {
	// Poll every 10ms, three times in all.
	polls := 0
	poll := rx.Defer(func() rx.Observable[int] { polls++; return rx.Of(polls) })
	print(rx.RepeatWith(poll, rx.RepeatConfig{Count: 3, Delay: 10 * time.Millisecond}))
	// Output: [1 2 3]
}

func ExampleRetryWith() {
	// Fails twice, then succeeds; retried after 10ms each time.
	attempts := 0
	flaky := rx.Defer(func() rx.Observable[string] {
		attempts++
		if attempts < 3 {
			return rx.Throw[string](errors.New("unavailable"))
		}
		return rx.Of("ok")
	})
	print(rx.RetryWith(flaky, rx.RetryConfig{Count: 5, Delay: 10 * time.Millisecond}))
	fmt.Println("attempts:", attempts)
	// Output:
	// [ok]
	// attempts: 3
}

func ExampleShareReplay() {
	// The source runs once; a late subscriber gets the last value replayed.
	runs := 0
	config := rx.Defer(func() rx.Observable[string] { runs++; return rx.Of("v1", "v2") })
	shared := rx.ShareReplay(config, rx.ShareReplayConfig{BufferSize: 1})
	print(shared)
	print(shared)
	fmt.Println("runs:", runs)
	// Output:
	// [v1 v2]
	// [v2]
	// runs: 1
}

func ExampleShareWith() {
	// A share that keeps its last three values for late subscribers and
	// keeps running when they all leave.
	shared := rx.ShareWith(rx.Of(1, 2, 3, 4), rx.ShareConfig[int]{
		Connector: func() *rx.Subject[int] { return rx.NewReplaySubject[int](3) },
	})
	print(shared)
	print(shared)
	// Output:
	// [1 2 3 4]
	// [2 3 4]
}

func ExampleNewConnectable() {
	c := rx.NewConnectable(rx.Of(1, 2), rx.ConnectableConfig[int]{
		Connector: func() *rx.Subject[int] { return rx.NewReplaySubject[int](10) },
	})
	c.Connect(context.Background()) // the source runs now
	print(c.AsObservable())
	// Output: [1 2]
}

func ExampleConnect() {
	// One run of the source, seen by two branches.
	print(rx.Connect(rx.Of(1, 2, 3, 4), func(shared rx.Observable[int]) rx.Observable[string] {
		return rx.Merge(
			rx.Map(rx.Filter(shared, func(v int) bool { return v%2 == 0 }), func(v int) string { return fmt.Sprint("even ", v) }),
			rx.Map(rx.Count(shared), func(n int) string { return fmt.Sprint("count ", n) }),
		)
	}))
	// Output: [even 2 even 4 count 4]
}

func ExampleExhaustMap() {
	// A second save while one runs is ignored.
	saves := rx.Of("save 1", "save 2")
	print(rx.ExhaustMap(saves, func(s string) rx.Observable[string] {
		return rx.Map(rx.Timer(10*time.Millisecond), func(int) string { return s + " done" })
	}))
	// Output: [save 1 done]
}

func ExampleMergeScan() {
	print(rx.MergeScan(rx.Of(1, 2, 3), func(total, v int) rx.Observable[int] { return rx.Of(total + v) }, 0))
	// Output: [1 3 6]
}

func ExampleSwitchScan() {
	print(rx.SwitchScan(rx.Of(1, 2, 3), func(total, v int) rx.Observable[int] { return rx.Of(total * v) }, 1))
	// Output: [1 2 6]
}

func ExampleExpand() {
	// Powers of two up to 16, each value producing the next.
	print(rx.Expand(rx.Of(1), func(v int) rx.Observable[int] {
		if v >= 16 {
			return rx.Empty[int]()
		}
		return rx.Of(v * 2)
	}))
	// Output: [1 2 4 8 16]
}

func ExampleMergeAll() {
	print(rx.MergeAll(rx.Of(rx.Of(1, 2), rx.Of(3))))
	// Output: [1 2 3]
}

func ExampleConcatAll() {
	print(rx.ConcatAll(rx.Of(rx.Of(1, 2), rx.Of(3))))
	// Output: [1 2 3]
}

func ExampleSwitchAll() {
	print(rx.SwitchAll(rx.Of(rx.Of(1, 2), rx.Of(3))))
	// Output: [1 2 3]
}

func ExampleExhaustAll() {
	print(rx.ExhaustAll(rx.Of(rx.Of(1, 2), rx.Of(3))))
	// Output: [1 2 3]
}

func ExamplePairwise() {
	print(rx.Pairwise(rx.Of(1, 2, 3)))
	// Output: [[1 2] [2 3]]
}

func ExampleBufferCount() {
	print(rx.BufferCount(rx.Range(1, 5), 2, 0))
	// Output: [[1 2] [3 4] [5]]
}

func ExampleBuffer() {
	values := rx.NewSubject[int]()
	flush := rx.NewSubject[struct{}]()
	done := make(chan struct{})
	rx.Buffer(values.AsObservable(), flush.AsObservable()).Subscribe(context.Background(), rx.ObserverFuncs[[]int]{
		OnNext:     func(b []int) { fmt.Println(b) },
		OnComplete: func() { close(done) },
	})
	values.Next(1)
	values.Next(2)
	flush.Next(struct{}{})
	values.Next(3)
	values.Complete()
	<-done
	// Output:
	// [1 2]
	// [3]
}

func ExampleWindowCount() {
	print(rx.MergeMap(rx.WindowCount(rx.Range(1, 5), 2, 0), rx.Count[int]))
	// Output: [2 2 1]
}

func ExampleWindow() {
	print(rx.MergeMap(rx.Window(rx.Of(1, 2, 3), rx.Never[int]()), rx.ToArray[int]))
	// Output: [[1 2 3]]
}

func ExampleWindowTime() {
	print(rx.MergeMap(rx.WindowTime(rx.Of(1, 2, 3), time.Hour), rx.ToArray[int]))
	// Output: [[1 2 3]]
}

func ExampleGroupBy() {
	type event struct {
		User string
		N    int
	}
	events := rx.Of(event{"ada", 1}, event{"bob", 2}, event{"ada", 3})
	totals := rx.MergeMap(rx.GroupBy(events, func(e event) string { return e.User }), func(g rx.Grouped[string, event]) rx.Observable[string] {
		return rx.Map(rx.Reduce(g.Observable, func(sum int, e event) int { return sum + e.N }, 0), func(sum int) string {
			return fmt.Sprint(g.Key, "=", sum)
		})
	})
	print(totals)
	// Output: [ada=4 bob=2]
}

func ExampleMaterialize() {
	notes := rx.Materialize(rx.Concat(rx.Of(1), rx.Throw[int](errors.New("boom"))))
	print(rx.Map(notes, func(n rx.Notification[int]) string {
		switch n.Kind {
		case rx.KindNext:
			return fmt.Sprint("next ", n.Value)
		case rx.KindError:
			return "error " + n.Err.Error()
		}
		return "complete"
	}))
	// Output: [next 1 error boom]
}

func ExampleDematerialize() {
	print(rx.Dematerialize(rx.Of(rx.Notification[int]{Kind: rx.KindNext, Value: 1}, rx.Notification[int]{Kind: rx.KindComplete})))
	// Output: [1]
}

func ExampleFirstValueFrom() {
	v, err := rx.FirstValueFrom(context.Background(), rx.Interval(time.Millisecond))
	fmt.Println(v, err)
	// Output: 0 <nil>
}

func ExampleLastValueFrom() {
	v, err := rx.LastValueFrom(context.Background(), rx.Range(1, 3))
	fmt.Println(v, err)
	// Output: 3 <nil>
}
