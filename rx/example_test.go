package rx_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/op"
)

func print[T any](o rx.Observable[T]) {
	values, err := rx.Collect(context.Background(), o)
	if err != nil {
		fmt.Println(values, "error:", err)
		return
	}
	fmt.Println(values)
}

func Example() {
	ctx := context.Background()
	// A cold recipe: nothing runs until ForEach subscribes.
	events := rx.Pipe3(rx.Interval(10*time.Millisecond),
		op.Map(func(i int) string { return fmt.Sprintf("tick %d", i) }),
		op.Filter(func(s string) bool { return !strings.HasSuffix(s, "1") }),
		op.Take[string](3),
	)
	err := rx.ForEach(ctx, events, func(s string) { fmt.Println(s) })
	fmt.Println("done:", err)
	// Output:
	// tick 0
	// tick 2
	// tick 3
	// done: <nil>
}

func ExampleCreate() {
	numbers := rx.Create(func(s rx.Subscriber[int]) func() {
		// Values may come from any goroutine; Create serializes them.
		go func() {
			for i := 1; i <= 3 && !s.Closed(); i++ {
				s.Next(i)
			}
			s.Complete()
		}()
		return nil // nothing to release: the goroutine ends by itself
	})
	print(numbers)
	// Output: [1 2 3]
}

func ExampleCreateSerialized() {
	// A producer that calls its subscriber from one goroutine at a time
	// (here: only the goroutine it starts) needs no serializer.
	numbers := rx.CreateSerialized(func(s rx.Subscriber[int]) func() {
		go func() {
			for i := 1; i <= 3 && !s.Closed(); i++ {
				s.Next(i)
			}
			s.Complete()
		}()
		return nil
	})
	print(numbers)
	// Output: [1 2 3]
}

func ExampleMap() {
	print(rx.Map(rx.Of(1, 2, 3), func(v int) string { return strings.Repeat("*", v) }))
	// Output: [* ** ***]
}

func ExampleFilter() {
	print(rx.Filter(rx.Of(1, 2, 3, 4), func(v int) bool { return v%2 == 0 }))
	// Output: [2 4]
}

func ExampleTake() {
	print(rx.Take(rx.Interval(time.Millisecond), 3))
	// Output: [0 1 2]
}

func ExampleTakeWhile() {
	print(rx.TakeWhile(rx.Of(1, 2, 3, 1), func(v int) bool { return v < 3 }))
	// Output: [1 2]
}

func ExampleTakeUntil() {
	values, stop := rx.NewSubject[string](), rx.NewSubject[struct{}]()
	sub := rx.TakeUntil(values.AsObservable(), stop.AsObservable()).Subscribe(context.Background(), rx.ObserverFuncs[string]{
		OnNext:     func(v string) { fmt.Println(v) },
		OnComplete: func() { fmt.Println("complete") },
	})
	defer sub.Unsubscribe()
	values.Next("a")
	values.Next("b")
	stop.Next(struct{}{})
	values.Next("c")
	// Output:
	// a
	// b
	// complete
}

func ExampleSkip() {
	print(rx.Skip(rx.Of("a", "b", "c"), 2))
	// Output: [c]
}

func ExampleScan() {
	print(rx.Scan(rx.Of(1, 2, 3, 4), func(total, v int) int { return total + v }, 0))
	// Output: [1 3 6 10]
}

func ExampleStartWith() {
	print(rx.StartWith(rx.Of("event"), "hello"))
	// Output: [hello event]
}

func ExampleTap() {
	print(rx.Tap(rx.Of(1, 2), func(v int) { fmt.Println("saw", v) }))
	// Output:
	// saw 1
	// saw 2
	// [1 2]
}

func ExampleFinalize() {
	o := rx.Finalize(rx.Of(1), func() { fmt.Println("finalized") })
	print(o)
	// Output:
	// finalized
	// [1]
}

func ExampleDistinctUntilChanged() {
	print(rx.DistinctUntilChanged(rx.Of(1, 1, 2, 2, 1)))
	// Output: [1 2 1]
}

func ExampleMerge() {
	print(rx.Merge(rx.Of("a", "b"), rx.Of("c")))
	// Output: [a b c]
}

func ExampleConcat() {
	print(rx.Concat(rx.Of(1, 2), rx.Of(3), rx.Of(4, 5)))
	// Output: [1 2 3 4 5]
}

func ExampleMergeMap() {
	print(rx.MergeMap(rx.Of(1, 2), func(v int) rx.Observable[int] { return rx.Of(v, v*10) }))
	// Output: [1 10 2 20]
}

func ExampleConcatMap() {
	delayed := func(v int) rx.Observable[int] {
		return rx.Map(rx.Timer(time.Duration(3-v)*time.Millisecond), func(int) int { return v })
	}
	print(rx.ConcatMap(rx.Of(1, 2), delayed)) // in order, though 2 is quicker
	// Output: [1 2]
}

func ExampleSwitchMap() {
	queries := rx.NewSubject[string]()
	results := rx.SwitchMap(queries.AsObservable(), func(q string) rx.Observable[string] {
		// A slow search: a newer query cancels it.
		return rx.Map(rx.Timer(time.Hour), func(int) string { return "results for " + q })
	})
	instant := rx.SwitchMap(queries.AsObservable(), func(q string) rx.Observable[string] {
		return rx.Of("instant " + q)
	})
	sub := rx.Merge(results, instant).Subscribe(context.Background(), rx.ObserverFuncs[string]{
		OnNext: func(v string) { fmt.Println(v) },
	})
	queries.Next("g")
	queries.Next("go")
	sub.Unsubscribe()
	// Output:
	// instant g
	// instant go
}

func ExampleDebounce() {
	// Of a burst, only the last value comes through; completion flushes it.
	print(rx.Debounce(rx.Of("g", "go", "gop"), time.Second))
	// Output: [gop]
}

func ExampleThrottle() {
	print(rx.Throttle(rx.Of(1, 2, 3), time.Second))
	// Output: [1]
}

func ExampleBufferTime() {
	print(rx.BufferTime(rx.Of(1, 2, 3), time.Hour))
	// Output: [[1 2 3]]
}

func ExampleTimeout() {
	print(rx.Timeout(rx.Never[int](), 5*time.Millisecond))
	// Output: [] error: rx: timeout
}

func ExampleCatchError() {
	failing := rx.Concat(rx.Of(1, 2), rx.Throw[int](errors.New("lost")))
	print(rx.CatchError(failing, func(err error) rx.Observable[int] {
		fmt.Println("caught:", err)
		return rx.Of(0)
	}))
	// Output:
	// caught: lost
	// [1 2 0]
}

func ExampleRetry() {
	attempt := 0
	flaky := rx.Defer(func() rx.Observable[string] {
		attempt++
		if attempt < 3 {
			return rx.Throw[string](fmt.Errorf("attempt %d failed", attempt))
		}
		return rx.Of(fmt.Sprintf("attempt %d worked", attempt))
	})
	print(rx.Retry(flaky, 5))
	// Output: [attempt 3 worked]
}

func ExampleShare() {
	subscriptions := 0
	src := rx.Defer(func() rx.Observable[int] {
		subscriptions++
		return rx.Never[int]()
	})
	shared := rx.Share(src)
	a := shared.Subscribe(context.Background(), rx.ObserverFuncs[int]{})
	b := shared.Subscribe(context.Background(), rx.ObserverFuncs[int]{})
	a.Unsubscribe()
	b.Unsubscribe()
	c := shared.Subscribe(context.Background(), rx.ObserverFuncs[int]{}) // starts a new run
	c.Unsubscribe()
	fmt.Println("source subscribed", subscriptions, "times")
	// Output: source subscribed 2 times
}

func ExampleSubject() {
	s := rx.NewBehaviorSubject("idle")
	sub := s.Subscribe(context.Background(), rx.ObserverFuncs[string]{
		OnNext: func(v string) { fmt.Println("status:", v) },
	})
	defer sub.Unsubscribe()
	s.Next("busy")
	v, _ := s.Value()
	fmt.Println("current:", v)
	// Output:
	// status: idle
	// status: busy
	// current: busy
}

func ExampleAll() {
	for v, err := range rx.All(context.Background(), rx.Interval(time.Millisecond)) {
		if err != nil || v == 2 {
			break // unsubscribes
		}
		fmt.Println(v)
	}
	// Output:
	// 0
	// 1
}

func ExamplePipe2() {
	lengths := rx.Pipe2(rx.Of("a", "bb", "ccc"),
		op.Map(func(s string) int { return len(s) }),
		op.Scan(func(total, n int) int { return total + n }, 0),
	)
	print(lengths)
	// Output: [1 3 6]
}
