package rx_test

import (
	"errors"
	"os"
	"time"

	"github.com/rxsse/rxsse/rx"
)

func ExampleOnErrorResumeNext() {
	failing := rx.Concat(rx.Of(1), rx.Throw[int](errors.New("dropped")))
	print(rx.OnErrorResumeNext(failing, rx.Of(2)))
	// Output: [1 2]
}

func ExampleOnErrorResumeNextWith() {
	print(rx.OnErrorResumeNextWith(rx.Throw[int](errors.New("dropped")), rx.Of(7)))
	// Output: [7]
}

func ExampleUsing() {
	// The file is opened per subscription and closed when it ends.
	lines := rx.Using(func() (*os.File, error) { return os.Open(os.DevNull) }, func(f *os.File) rx.Observable[string] {
		return rx.Of("opened " + f.Name())
	})
	print(lines)
	// Output: [opened /dev/null]
}

func ExampleTakeWhileInclusive() {
	print(rx.TakeWhileInclusive(rx.Of(1, 2, 3, 4), func(v int) bool { return v < 3 }))
	// Output: [1 2 3]
}

func ExampleDebounceWhen() {
	// Each value waits its own quiet time; a burst keeps only the last.
	print(rx.DebounceWhen(rx.Of("a", "b", "c"), func(string) rx.Observable[int] { return rx.Timer(time.Hour) }))
	// Output: [c]
}

func ExampleThrottleWhen() {
	print(rx.ThrottleWhen(rx.Of(1, 2, 3), func(int) rx.Observable[int] { return rx.Timer(10 * time.Millisecond) },
		rx.ThrottleConfig{Leading: true, Trailing: true}))
	// Output: [1 3]
}

func ExampleBufferWhen() {
	print(rx.BufferWhen(rx.Of(1, 2, 3), func() rx.Observable[int] { return rx.Never[int]() }))
	// Output: [[1 2 3]]
}

func ExampleBufferToggle() {
	// A buffer opens before the values and never closes: all of them, at
	// completion.
	print(rx.BufferToggle(rx.Delay(rx.Of(1, 2), 10*time.Millisecond), rx.Of("open"), func(string) rx.Observable[int] {
		return rx.Never[int]()
	}))
	// Output: [[1 2]]
}

func ExampleWindowWhen() {
	print(rx.MergeMap(rx.WindowWhen(rx.Of(1, 2), func() rx.Observable[int] { return rx.Never[int]() }), rx.ToArray[int]))
	// Output: [[1 2]]
}

func ExampleWindowToggle() {
	print(rx.MergeMap(rx.WindowToggle(rx.Delay(rx.Of(1, 2), 10*time.Millisecond), rx.Of("open"), func(string) rx.Observable[int] {
		return rx.Never[int]()
	}), rx.ToArray[int]))
	// Output: [[1 2]]
}

func ExampleTimeoutWith() {
	slow := rx.Never[string]()
	print(rx.TimeoutWith(slow, rx.TimeoutConfig[string]{
		First: 10 * time.Millisecond,
		With:  func() rx.Observable[string] { return rx.Of("cached") },
	}))
	// Output: [cached]
}
