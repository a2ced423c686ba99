package rx_test

import (
	"context"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// TestIdleSubscriptionCost holds 10,000 subscriptions of
// Interval(1s)→Map→Filter, each with its own cancellable context as a
// request has: no goroutine may be parked for them, and each may hold at
// most 1 KiB (checked without the race detector, which inflates memory).
func TestIdleSubscriptionCost(t *testing.T) {
	n := 10_000
	if raceEnabled {
		n = 2_000 // the race detector makes each much slower
	}
	ctxs := make([]context.Context, n)
	cancels := make([]context.CancelFunc, n)
	for i := range n {
		ctxs[i], cancels[i] = context.WithCancel(t.Context())
	}
	g0, m0 := idleState()
	subs := make([]rx.Subscription, n)
	for i, ctx := range ctxs {
		subs[i] = rx.Filter(rx.Map(rx.Interval(time.Second), triple), even).Subscribe(ctx, &sumObserver{})
	}
	g1, m1 := idleState()
	perSub := float64(int64(m1)-int64(m0)) / float64(n)
	t.Logf("%d goroutines added, %.0f bytes per subscription", g1-g0, perSub)
	if g1 != g0 {
		t.Errorf("%d goroutines for %d idle subscriptions, want 0", g1-g0, n)
	}
	if !raceEnabled && perSub > 1024 {
		t.Errorf("%.0f bytes per idle subscription, want at most 1024", perSub)
	}
	// Half end by their context, half by Unsubscribe; all must be done.
	for i := range n {
		if i%2 == 0 {
			cancels[i]()
		} else {
			subs[i].Unsubscribe()
		}
	}
	for i := range n {
		<-subs[i].Done()
		cancels[i]()
	}
}
