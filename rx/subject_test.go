package rx_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
)

func TestSubjects(t *testing.T) {
	runCases(t, []seqCase{
		{name: "Subject/only later values", run: func(l *tlog) rx.Subscription {
			s := rx.NewSubject[int]()
			s.Next(1)
			sub := subscribe(l, s.AsObservable())
			s.Next(2)
			s.Complete()
			s.Next(3)
			return sub
		}, want: []string{"2", "complete"}},
		{name: "Subject/after error", run: func(l *tlog) rx.Subscription {
			s := rx.NewSubject[int]()
			s.Error(errBoom)
			return subscribe(l, s.AsObservable())
		}, want: []string{"error: boom"}},
		{name: "BehaviorSubject", run: func(l *tlog) rx.Subscription {
			s := rx.NewBehaviorSubject(0)
			s.Next(1)
			sub := subscribe(l, s.AsObservable())
			s.Next(2)
			return sub
		}, want: []string{"1", "2"}},
		{name: "ReplaySubject", run: func(l *tlog) rx.Subscription {
			s := rx.NewReplaySubject[int](2)
			for i := range 5 {
				s.Next(i)
			}
			s.Complete()
			return subscribe(l, s.AsObservable())
		}, want: []string{"3", "4", "complete"}},
		{name: "Subject/unsubscribed observer gets nothing more", run: func(l *tlog) rx.Subscription {
			s := rx.NewSubject[int]()
			sub := subscribe(l, s.AsObservable())
			s.Next(1)
			sub.Unsubscribe()
			s.Next(2)
			return sub
		}, want: []string{"1"}},
		{name: "Subject/panic in one observer fails only that one", run: func(l *tlog) rx.Subscription {
			s := rx.NewSubject[int]()
			bad := rx.Map(s.AsObservable(), func(v int) string { panic("bad") })
			_ = bad.Subscribe(context.Background(), rx.ObserverFuncs[string]{OnError: func(err error) { l.add("bad: %v", err) }})
			sub := subscribe(l, s.AsObservable())
			s.Next(1)
			s.Next(2)
			return sub
		}, want: []string{"bad: rx: panic: bad", "1", "2"}},
	})
}

// TestSubjectConcurrency: many goroutines call Next while subscribers join
// and leave. Each observer must see one call at a time, every producer's
// values in order, and one that stays for the whole run sees everything.
// Run with -race.
func TestSubjectConcurrency(t *testing.T) {
	const producers, perProducer, churners = 8, 2000, 8
	s := rx.NewSubject[[2]int]()

	type watcher struct {
		busy atomic.Bool
		last [producers]int
		n    int
		bad  string
		done chan struct{} // closed on Complete
	}
	watch := func(w *watcher) rx.Observer[[2]int] {
		for i := range w.last {
			w.last[i] = -1
		}
		w.done = make(chan struct{})
		return rx.ObserverFuncs[[2]int]{OnComplete: func() { close(w.done) }, OnNext: func(v [2]int) {
			if !w.busy.CompareAndSwap(false, true) {
				w.bad = "concurrent Next"
				return
			}
			defer w.busy.Store(false)
			if v[1] <= w.last[v[0]] && w.bad == "" {
				w.bad = fmt.Sprintf("producer %d: %d after %d", v[0], v[1], w.last[v[0]])
			}
			w.last[v[0]] = v[1]
			w.n++
		}}
	}

	whole := &watcher{}
	s.Subscribe(context.Background(), watch(whole))

	var wg, churnWG sync.WaitGroup
	stop := make(chan struct{})
	var mu sync.Mutex
	var churned []*watcher
	for c := range churners {
		churnWG.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				w := &watcher{}
				mu.Lock()
				churned = append(churned, w)
				mu.Unlock()
				ctx, cancel := context.WithCancel(context.Background())
				sub := s.Subscribe(ctx, watch(w))
				runtime.Gosched()
				if (c+i)%2 == 0 {
					sub.Unsubscribe()
				}
				cancel()
			}
		})
	}
	for p := range producers {
		wg.Go(func() {
			for i := range perProducer {
				s.Next([2]int{p, i})
			}
		})
	}
	wg.Wait()
	close(stop)
	churnWG.Wait()
	// A Next that finds another goroutine delivering queues its value and
	// returns, so the values may still be on their way: Complete comes after
	// all of them, and once it has reached the whole-run observer, every
	// watcher is quiet.
	s.Complete()
	select {
	case <-whole.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the whole-run observer did not complete")
	}
	for _, w := range churned {
		if w.bad != "" {
			t.Error(w.bad)
		}
	}
	t.Logf("%d subscribers joined and left", len(churned))
	if whole.bad != "" {
		t.Fatal(whole.bad)
	}
	if whole.n != producers*perProducer {
		t.Fatalf("whole-run observer got %d values, want %d", whole.n, producers*perProducer)
	}
	want := slices.Repeat([]int{perProducer - 1}, producers)
	if !slices.Equal(whole.last[:], want) {
		t.Fatalf("last values %v, want %v", whole.last, want)
	}
}
