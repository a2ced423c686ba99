package rxgobridge_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reactivex/rxgo/v2"
	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/rxgobridge"
)

// The bridge tests check for leaks right after each test: cancelling the rx
// side must release every rxgo goroutine.

func TestFrom(t *testing.T) {
	defer goleak.VerifyNone(t)
	got, err := rx.Collect(t.Context(), rxgobridge.From[int](rxgo.Just(1, 2, 3)()))
	if err != nil || !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestFromErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	cases := []struct {
		name    string
		o       rxgo.Observable
		want    []int
		wantErr string
	}{
		{"error item", rxgo.Just(1, errBoom, 3)(), []int{1}, "boom"},
		{"wrong type", rxgo.Just(1, "two", 3)(), []int{1}, "rxgobridge: From: item of type string, want int"},
		{"nil for int", rxgo.Defer([]rxgo.Producer{func(ctx context.Context, next chan<- rxgo.Item) {
			rxgo.Of(nil).SendContext(ctx, next)
		}}), nil, "rxgobridge: From: item of type <nil>, want int"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rx.Collect(t.Context(), rxgobridge.From[int](c.o))
			if err == nil || err.Error() != c.wantErr || !slices.Equal(got, c.want) {
				t.Fatalf("got %v, %v; want %v, %s", got, err, c.want, c.wantErr)
			}
		})
	}
}

func TestFromNilForPointer(t *testing.T) {
	defer goleak.VerifyNone(t)
	o := rxgo.Defer([]rxgo.Producer{func(ctx context.Context, next chan<- rxgo.Item) {
		rxgo.Of(nil).SendContext(ctx, next)
	}})
	got, err := rx.Collect(t.Context(), rxgobridge.From[*int](o))
	if err != nil || len(got) != 1 || got[0] != nil {
		t.Fatalf("got %v, %v", got, err)
	}
}

// An rxgo chain built without any context still stops when the rx side
// stops early: the subscription's context reaches every stage through
// Observe, and the bridge drains what is already in flight.
func TestFromCancelledMidStream(t *testing.T) {
	defer goleak.VerifyNone(t)
	chain := rxgo.Range(0, 1_000_000).
		Map(func(_ context.Context, v any) (any, error) { return v.(int) * 2, nil }).
		Filter(func(v any) bool { return v.(int)%3 == 0 })
	got, err := rx.Collect(t.Context(), rx.Take(rxgobridge.From[int](chain), 3))
	if err != nil || !slices.Equal(got, []int{0, 6, 12}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestFromContextCancelled(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(t.Context())
	var mu sync.Mutex
	var got []int
	sub := rxgobridge.From[int](rxgo.Range(0, 1_000_000)).Subscribe(ctx, rx.ObserverFuncs[int]{OnNext: func(v int) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, v)
		if v == 2 {
			cancel()
		}
	}})
	<-sub.Done()
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got[:3], []int{0, 1, 2}) || len(got) > 4 {
		t.Fatalf("got %v", got)
	}
}

func TestTo(t *testing.T) {
	defer goleak.VerifyNone(t)
	got, err := rxgobridge.To(rx.Of(1, 2, 3)).
		Map(func(_ context.Context, v any) (any, error) { return v.(int) * 10, nil }).
		ToSlice(0)
	if err != nil || !slices.Equal(got, []any{10, 20, 30}) {
		t.Fatalf("got %v, %v", got, err)
	}
	_, err = rxgobridge.To(oneTwoBoom()).ToSlice(0)
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
}

// A reader that observes with a context and cancels it after a few items
// releases the rx subscription and every rxgo goroutine.
func TestToCancelled(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	torn := make(chan struct{})
	src := rx.Finalize(rx.Interval(time.Millisecond), func() { close(torn) })
	items := rxgobridge.To(src).
		Map(func(_ context.Context, v any) (any, error) { return v, nil }, rxgo.WithContext(ctx)).
		Observe(rxgo.WithContext(ctx))
	var got []any
	for it := range items {
		got = append(got, it.V)
		if len(got) == 3 {
			cancel()
			break
		}
	}
	<-torn
	for range items { // rxgo closes its channel once cancelled
	}
	if !slices.Equal(got, []any{0, 1, 2}) {
		t.Fatalf("got %v", got)
	}
}

func TestStage(t *testing.T) {
	defer goleak.VerifyNone(t)
	pairs := rxgobridge.Stage[int, []any](rx.Of(1, 2, 3, 4, 5), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.
			Filter(func(v any) bool { return v.(int) != 3 }, rxgo.WithContext(ctx)).
			BufferWithCount(2, rxgo.WithContext(ctx))
	})
	got, err := rx.Collect(t.Context(), pairs)
	if err != nil || len(got) != 2 || !slices.Equal(got[0], []any{1, 2}) || !slices.Equal(got[1], []any{4, 5}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

// Operators that take their context at construction (Debounce, FlatMap, …)
// and get none still end when the rx side unsubscribes mid-stream.
func TestStageWithoutContextCancelled(t *testing.T) {
	defer goleak.VerifyNone(t)
	stage := rxgobridge.Stage[int, int](rx.Interval(time.Millisecond), func(_ context.Context, in rxgo.Observable) rxgo.Observable {
		return in.FlatMap(func(it rxgo.Item) rxgo.Observable { return rxgo.Just(it.V, it.V)() })
	})
	got, err := rx.Collect(t.Context(), rx.Take(stage, 4))
	if err != nil || !slices.Equal(got, []int{0, 0, 1, 1}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestStageErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	_, err := rx.Collect(t.Context(), rxgobridge.Stage[int, int](oneTwoBoom(), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.Map(func(_ context.Context, v any) (any, error) { return v, nil }, rxgo.WithContext(ctx))
	}))
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
	_, err = rx.Collect(t.Context(), rxgobridge.Stage[int, int](rx.Of(1), func(context.Context, rxgo.Observable) rxgo.Observable { return nil }))
	if err == nil || err.Error() != "rxgobridge: Stage: stage returned a nil Observable" {
		t.Fatalf("err = %v", err)
	}
}

var errBoom = errors.New("boom")

// oneTwoBoom emits 1, 2, then fails.
func oneTwoBoom() rx.Observable[int] { return rx.Concat(rx.Of(1, 2), rx.Throw[int](errBoom)) }

func TestConstructionPanics(t *testing.T) {
	cases := []struct {
		want string
		f    func()
	}{
		{"rxgobridge: From: nil rxgo Observable", func() { rxgobridge.From[int](nil) }},
		{"rxgobridge: Stage: nil stage", func() { rxgobridge.Stage[int, int](rx.Of(1), nil) }},
		{"rxgobridge: Operator: nil stage", func() { rxgobridge.Operator[int, int](nil) }},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			defer func() {
				if got := fmt.Sprint(recover()); got != c.want {
					t.Fatalf("panic %q, want %q", got, c.want)
				}
			}()
			c.f()
		})
	}
}

func TestOperator(t *testing.T) {
	defer goleak.VerifyNone(t)
	src := rx.Of(1, 2, 3)
	got, err := rx.Collect(t.Context(), rx.Pipe1(src, rxgobridge.Operator[int, int](func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.Skip(1, rxgo.WithContext(ctx))
	})))
	if err != nil || !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

// A stage that rx unsubscribes mid-stream (Take after it) stops rxgo.
func TestStageUnsubscribedMidStream(t *testing.T) {
	defer goleak.VerifyNone(t)
	torn := make(chan struct{})
	src := rx.Finalize(rx.Interval(time.Millisecond), func() { close(torn) })
	stage := rxgobridge.Stage[int, int](src, func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.Map(func(_ context.Context, v any) (any, error) { return v.(int) * 10, nil }, rxgo.WithContext(ctx))
	})
	got, err := rx.Collect(t.Context(), rx.Take(stage, 3))
	<-torn
	if err != nil || !slices.Equal(got, []int{0, 10, 20}) {
		t.Fatalf("got %v, %v", got, err)
	}
}
