package pipebench_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bench/pipebench"
	"github.com/rxsse/rxsse/rx"
)

func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func isEven(v int) bool { return v%2 == 0 }
func double(v int) int  { return 2 * v }

// BenchmarkDoubleEvens is how a user measures a pipeline of their own:
// go test -bench DoubleEvens reports ns/item, allocs/item, B/item, items/s.
func BenchmarkDoubleEvens(b *testing.B) {
	src := ints(100_000)
	pipeline := rx.Map(rx.Filter(rx.From(src), isEven), double)
	pipebench.Bench(b, len(src), 4_999_900_000, func() int64 {
		sum, _ := pipebench.Sum(context.Background(), pipeline)
		return sum
	})
}

func ExampleMeasure() {
	src := ints(100_000)
	pipeline := rx.Map(rx.Filter(rx.From(src), isEven), double)
	r, err := pipebench.Measure(context.Background(), len(src), 4_999_900_000, func() int64 {
		sum, _ := pipebench.Sum(context.Background(), pipeline)
		return sum
	}, &pipebench.Options{Duration: 10 * time.Millisecond})
	fmt.Println(err, r.Items%100_000 == 0, r.NsPerItem > 0)
	// A pipeline that loses items is caught:
	_, err = pipebench.Measure(context.Background(), len(src), 4_999_900_000, func() int64 {
		sum, _ := pipebench.Sum(context.Background(), rx.Take(pipeline, 10))
		return sum
	}, &pipebench.Options{MaxPasses: 1})
	fmt.Println(err)
	// Output:
	// <nil> true true
	// pipebench: wrong checksum: got 180, want 4999900000
}
