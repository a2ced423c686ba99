package op_test

import (
	"context"
	"fmt"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/op"
)

func Example() {
	words := rx.Of("a", "bb", "ccc", "dd", "e")
	lengths := rx.Pipe3(words,
		op.Map(func(w string) int { return len(w) }),
		op.Filter(func(n int) bool { return n > 1 }),
		op.Take[int](2),
	)
	got, err := rx.Collect(context.Background(), lengths)
	fmt.Println(got, err)
	// Output: [2 3] <nil>
}

func ExampleConcatWith() {
	both := rx.Pipe1(rx.Of(1, 2), op.ConcatWith(rx.Of(3), rx.Of(4, 5)))
	got, _ := rx.Collect(context.Background(), both)
	fmt.Println(got)
	// Output: [1 2 3 4 5]
}
