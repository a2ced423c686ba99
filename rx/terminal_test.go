package rx_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
)

func TestCollect(t *testing.T) {
	got, err := rx.Collect(t.Context(), oneTwoBoom())
	if !errors.Is(err, errBoom) || !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestForEachReturnsWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLog(true)
		ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
		defer cancel()
		err := rx.ForEach(ctx, tracked(l, rx.Interval(time.Second)), func(v int) { l.add("%d", v) })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		synctest.Wait()
		if want := []string{"0@1s", "1@2s", "teardown@2.5s"}; !slices.Equal(l.get(), want) {
			t.Fatalf("got %v, want %v", l.get(), want)
		}
	})
}

func TestAllBreakUnsubscribes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLog(true)
		for v, err := range rx.All(t.Context(), tracked(l, rx.Interval(time.Second))) {
			if err != nil {
				t.Fatal(err)
			}
			l.add("%d", v)
			if v == 2 {
				break
			}
		}
		synctest.Wait()
		if want := []string{"0@1s", "1@2s", "2@3s", "teardown@3s"}; !slices.Equal(l.get(), want) {
			t.Fatalf("got %v, want %v", l.get(), want)
		}
	})
}

func TestAllYieldsTheError(t *testing.T) {
	var got []int
	var gotErr error
	for v, err := range rx.All(t.Context(), oneTwoBoom()) {
		if err != nil {
			gotErr = err
			continue
		}
		got = append(got, v)
	}
	if !errors.Is(gotErr, errBoom) || !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("got %v, %v", got, gotErr)
	}
}

// A consumer that stops taking values holds the producer (All buffers
// nothing); cancelling the context releases every goroutine.
func TestSubscriberThatStopsConsuming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLog(true)
		ctx, cancel := context.WithCancel(t.Context())
		stuck := make(chan struct{})
		done := make(chan error)
		go func() {
			for v, err := range rx.All(ctx, tracked(l, rx.Interval(time.Second))) {
				if err != nil {
					done <- err
					return
				}
				l.add("%d", v)
				if v == 1 {
					<-stuck // stops consuming
				}
			}
		}()
		time.Sleep(time.Hour) // the producer waits, without spinning, for an hour
		cancel()
		close(stuck)
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		synctest.Wait()
		if want := []string{"0@1s", "1@2s", "teardown@1h0m0s"}; !slices.Equal(l.get(), want) {
			t.Fatalf("got %v, want %v", l.get(), want)
		}
	})
}

// An observer that blocks inside Next does not block Unsubscribe or the
// context's cancellation from other goroutines.
func TestBlockedObserverDoesNotBlockUnsubscribe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLog(true)
		release := make(chan struct{})
		sub := tracked(l, rx.Interval(time.Second)).Subscribe(t.Context(), rx.ObserverFuncs[int]{OnNext: func(v int) {
			l.add("%d", v)
			<-release
		}})
		time.Sleep(time.Hour)
		sub.Unsubscribe()
		l.add("unsubscribed")
		close(release)
		synctest.Wait()
		if want := []string{"0@1s", "teardown@1h0m0s", "unsubscribed@1h0m0s"}; !slices.Equal(l.get(), want) {
			t.Fatalf("got %v, want %v", l.get(), want)
		}
	})
}

func TestSubscriptionDone(t *testing.T) {
	sub := rx.Of(1).Subscribe(t.Context(), rx.ObserverFuncs[int]{})
	select {
	case <-sub.Done():
	default:
		t.Fatal("Done not closed after completion")
	}
	ctx, cancel := context.WithCancel(t.Context())
	sub = rx.Never[int]().Subscribe(ctx, rx.ObserverFuncs[int]{})
	cancel()
	<-sub.Done()
}
