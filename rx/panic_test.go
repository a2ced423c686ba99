package rx_test

import (
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// A panic in user code becomes a *PanicError on that stream; the process,
// and other streams, live on.
func TestPanicsBecomeErrors(t *testing.T) {
	cases := []struct {
		name  string
		o     func() rx.Observable[int]
		obs   func(v int)
		want  []int
		panic any
	}{
		{name: "map function", o: func() rx.Observable[int] {
			return rx.Map(rx.Of(1, 2, 3), func(v int) int {
				if v == 2 {
					panic("map failed")
				}
				return v
			})
		}, want: []int{1}, panic: "map failed"},
		{name: "map function on a timer", o: func() rx.Observable[int] {
			return rx.Map(rx.Interval(time.Second), func(v int) int {
				if v == 1 {
					panic(errBoom)
				}
				return v
			})
		}, want: []int{0}, panic: errBoom},
		{name: "producer", o: func() rx.Observable[int] {
			return rx.Create(func(s rx.Subscriber[int]) func() {
				s.Next(1)
				panic("producer failed")
			})
		}, want: []int{1}, panic: "producer failed"},
		{name: "producer goroutine's downstream", o: func() rx.Observable[int] {
			return rx.Filter(timeline(at(0, 1), at(time.Second, 2)), func(v int) bool {
				if v == 2 {
					panic("filter failed")
				}
				return true
			})
		}, want: []int{1}, panic: "filter failed"},
		{name: "observer", o: func() rx.Observable[int] { return rx.Of(1, 2, 3) },
			obs: func(v int) {
				if v == 2 {
					panic("observer failed")
				}
			}, want: []int{1, 2}, panic: "observer failed"},
		{name: "MergeMap project", o: func() rx.Observable[int] {
			return rx.MergeMapLimit(rx.Of(1, 2), func(v int) rx.Observable[int] {
				if v == 2 {
					panic("project failed")
				}
				return rx.Map(rx.Timer(time.Second), func(int) int { return v })
			}, 1)
		}, want: []int{1}, panic: "project failed"},
		{name: "SwitchMap project", o: func() rx.Observable[int] {
			return rx.SwitchMap(rx.Of(1), func(int) rx.Observable[int] { panic("switch failed") })
		}, panic: "switch failed"},
		{name: "CatchError handler", o: func() rx.Observable[int] {
			return rx.CatchError(rx.Throw[int](errBoom), func(error) rx.Observable[int] { panic("handler failed") })
		}, panic: "handler failed"},
		{name: "Debounce downstream", o: func() rx.Observable[int] {
			return rx.Map(rx.Debounce(rx.Concat(rx.Of(1), rx.Never[int]()), time.Second), func(int) int { panic("late") })
		}, panic: "late"},
		{name: "Tap on complete", o: func() rx.Observable[int] {
			return rx.TapObserver(rx.Of(1), rx.Observer[int](rx.ObserverFuncs[int]{OnComplete: func() { panic("tap") }}))
		}, want: []int{1}, panic: "tap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var got []int
				var gotErr error
				ends := 0
				sub := c.o().Subscribe(t.Context(), rx.ObserverFuncs[int]{
					OnNext: func(v int) {
						got = append(got, v)
						if c.obs != nil {
							c.obs(v)
						}
					},
					OnError:    func(err error) { gotErr = err; ends++ },
					OnComplete: func() { ends++ },
				})
				time.Sleep(time.Minute)
				sub.Unsubscribe()
				var pe *rx.PanicError
				if !errors.As(gotErr, &pe) {
					t.Fatalf("error %v, want a *rx.PanicError", gotErr)
				}
				if pe.Value != c.panic || len(pe.Stack) == 0 {
					t.Errorf("panic value %v (stack %d bytes), want %v", pe.Value, len(pe.Stack), c.panic)
				}
				if !slices.Equal(got, c.want) || ends != 1 {
					t.Errorf("values %v, ends %d; want %v and one end", got, ends, c.want)
				}
				if err, ok := c.panic.(error); ok && !errors.Is(gotErr, err) {
					t.Errorf("errors.Is(%v, %v) = false", gotErr, err)
				}
			})
		})
	}
}
