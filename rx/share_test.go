package rx_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
)

func TestShare(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLog(true)
		subscriptions := 0
		src := rx.Defer(func() rx.Observable[int] {
			subscriptions++
			l.add("source subscribed")
			return tracked(l, rx.Interval(time.Second))
		})
		shared := rx.Share(src)
		a := shared.Subscribe(t.Context(), rx.ObserverFuncs[int]{OnNext: func(v int) { l.add("a%d", v) }})
		time.Sleep(1500 * time.Millisecond)
		b := shared.Subscribe(t.Context(), rx.ObserverFuncs[int]{OnNext: func(v int) { l.add("b%d", v) }})
		time.Sleep(time.Second)
		a.Unsubscribe()
		time.Sleep(time.Second)
		b.Unsubscribe() // the last one: the source stops
		time.Sleep(time.Minute)
		c := shared.Subscribe(t.Context(), rx.ObserverFuncs[int]{OnNext: func(v int) { l.add("c%d", v) }})
		time.Sleep(1500 * time.Millisecond)
		c.Unsubscribe()
		want := []string{
			"source subscribed@0s", "a0@1s", "a1@2s", "b1@2s", "b2@3s", "teardown@3.5s",
			"source subscribed@1m3.5s", "c0@1m4.5s", "teardown@1m5s",
		}
		if got := l.get(); !slices.Equal(got, want) {
			t.Errorf("got  %v\nwant %v", got, want)
		}
	})
}

func TestShareRestartsAfterCompletion(t *testing.T) {
	n := 0
	shared := rx.Share(rx.Defer(func() rx.Observable[int] { n++; return rx.Of(n) }))
	for want := 1; want <= 2; want++ {
		got, err := rx.Collect(t.Context(), shared)
		if err != nil || len(got) != 1 || got[0] != want {
			t.Fatalf("run %d: %v %v", want, got, err)
		}
	}
}

func TestShareLateSubscriberAfterError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shared := rx.Share(rx.Concat(rx.Map(rx.Timer(time.Second), func(int) int { return 1 }), rx.Throw[int](errBoom)))
		l := newLog(true)
		subscribe(l, shared)
		subscribe(l, shared)
		time.Sleep(2 * time.Second)
		want := []string{"1@1s", "1@1s", "error: boom@1s", "error: boom@1s"}
		if got := l.get(); !slices.Equal(got, want) {
			t.Errorf("got  %v\nwant %v", got, want)
		}
	})
}
