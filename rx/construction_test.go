package rx_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/op"
)

// Misuse panics where the pipeline is built, with a message naming the
// operator; nothing panics later.
func TestConstructionPanics(t *testing.T) {
	src := rx.Of(1)
	cases := []struct {
		want string
		f    func()
	}{
		{"rx: Create: nil producer", func() { rx.Create[int](nil) }},
		{"rx: CreateSerialized: nil producer", func() { rx.CreateSerialized[int](nil) }},
		{"rx: Defer: nil factory", func() { rx.Defer[int](nil) }},
		{"rx: FromSeq: nil sequence", func() { rx.FromSeq[int](nil) }},
		{"rx: FromChannel: nil channel", func() { rx.FromChannel[int](nil) }},
		{"rx: Throw: nil error", func() { rx.Throw[int](nil) }},
		{"rx: Interval: period must be positive", func() { rx.Interval(0) }},
		{"rx: Timer: negative delay", func() { rx.Timer(-1) }},
		{"rx: Map: nil function", func() { rx.Map[int, int](src, nil) }},
		{"rx: Filter: nil predicate", func() { rx.Filter(src, nil) }},
		{"rx: Take: negative count", func() { rx.Take(src, -1) }},
		{"rx: TakeWhile: nil predicate", func() { rx.TakeWhile(src, nil) }},
		{"rx: Skip: negative count", func() { rx.Skip(src, -1) }},
		{"rx: Scan: nil accumulator", func() { rx.Scan[int, int](src, nil, 0) }},
		{"rx: Tap: nil function", func() { rx.Tap(src, nil) }},
		{"rx: TapObserver: nil observer", func() { rx.TapObserver(src, nil) }},
		{"rx: Finalize: nil function", func() { rx.Finalize(src, nil) }},
		{"rx: DistinctUntilChangedFunc: nil comparator", func() { rx.DistinctUntilChangedFunc(src, nil) }},
		{"rx: MergeMap: nil project function", func() { rx.MergeMap[int, int](src, nil) }},
		{"rx: MergeMapLimit: nil project function", func() { rx.MergeMapLimit[int, int](src, nil, 1) }},
		{"rx: MergeMapLimit: concurrency must be positive", func() {
			rx.MergeMapLimit(src, func(int) rx.Observable[int] { return src }, 0)
		}},
		{"rx: ConcatMap: nil project function", func() { rx.ConcatMap[int, int](src, nil) }},
		{"rx: SwitchMap: nil project function", func() { rx.SwitchMap[int, int](src, nil) }},
		{"rx: Debounce: negative duration", func() { rx.Debounce(src, -1) }},
		{"rx: Throttle: negative duration", func() { rx.Throttle(src, -1) }},
		{"rx: BufferTime: period must be positive", func() { rx.BufferTime(src, 0) }},
		{"rx: Timeout: duration must be positive", func() { rx.Timeout(src, 0) }},
		{"rx: CatchError: nil handler", func() { rx.CatchError(src, nil) }},
		{"rx: Retry: negative count", func() { rx.Retry(src, -1) }},
		{"rx: NewReplaySubject: size must be positive", func() { rx.NewReplaySubject[int](0) }},
		{"rx: ForEach: nil function", func() { _ = rx.ForEach(context.Background(), src, nil) }},
		{"rx: Subscribe: nil observer", func() { src.Subscribe(context.Background(), nil) }},
		// The operator forms check when they are built, not when applied.
		{"rx: Map: nil function", func() { op.Map[int, int](nil) }},
		{"rx: Take: negative count", func() { op.Take[int](-1) }},
		{"rx: MergeMapLimit: concurrency must be positive", func() {
			op.MergeMapLimit(func(int) rx.Observable[int] { return src }, -2)
		}},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			defer func() {
				got := fmt.Sprint(recover())
				if got != c.want {
					t.Fatalf("panic %q, want %q", got, c.want)
				}
				if !strings.HasPrefix(got, "rx: ") {
					t.Fatal("message lacks the rx: prefix")
				}
			}()
			c.f()
		})
	}
}
