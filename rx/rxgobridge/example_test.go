package rxgobridge_test

import (
	"context"
	"fmt"

	"github.com/reactivex/rxgo/v2"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/rxgobridge"
)

func ExampleStage() {
	// Any rxgo operator as a stage; pass ctx to each so that cancelling the
	// rx side stops rxgo's goroutines.
	pairs := rxgobridge.Stage[int, []any](rx.Of(1, 2, 3, 4), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.BufferWithCount(2, rxgo.WithContext(ctx))
	})
	got, err := rx.Collect(context.Background(), pairs)
	fmt.Println(got, err)
	// Output: [[1 2] [3 4]] <nil>
}

func ExampleFrom() {
	got, err := rx.Collect(context.Background(), rxgobridge.From[int](rxgo.Just(1, 2, 3)()))
	fmt.Println(got, err)
	// Output: [1 2 3] <nil>
}

func ExampleTo() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for item := range rxgobridge.To(rx.Of("a", "b")).Observe(rxgo.WithContext(ctx)) {
		fmt.Println(item.V)
	}
	// Output:
	// a
	// b
}

func ExampleOperator() {
	tail := rx.Pipe1(rx.Of(1, 2, 3), rxgobridge.Operator[int, int](func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
		return in.Skip(1, rxgo.WithContext(ctx))
	}))
	got, _ := rx.Collect(context.Background(), tail)
	fmt.Println(got)
	// Output: [2 3]
}
