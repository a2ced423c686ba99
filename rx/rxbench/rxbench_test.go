package rxbench_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/rx/rxbench"
)

func BenchmarkPipeline(b *testing.B) {
	rxbench.Pipeline(b, 100_000, func(in rx.Observable[int]) rx.Observable[string] {
		return rx.Map(rx.Filter(in, func(v int) bool { return v%2 == 0 }), strconv.Itoa)
	})
}

func TestPipelineReportsPerItem(t *testing.T) {
	r := testing.Benchmark(func(b *testing.B) {
		rxbench.Pipeline(b, 1000, func(in rx.Observable[int]) rx.Observable[int] {
			return rx.Map(in, func(v int) int { return v * 2 })
		})
	})
	for _, unit := range []string{"ns/item", "allocs/item", "B/item", "items/s"} {
		if _, ok := r.Extra[unit]; !ok {
			t.Errorf("no %s in %v", unit, r.Extra)
		}
	}
	if r.Extra["ns/item"] <= 0 || r.Extra["items/s"] <= 0 {
		t.Errorf("figures %v", r.Extra)
	}
	if a := r.Extra["allocs/item"]; a > 0.1 {
		t.Errorf("Map over From allocates %.3f per item, want about 0", a)
	}
}

func TestObservableFailsOnError(t *testing.T) {
	r := testing.Benchmark(func(b *testing.B) {
		rxbench.Observable(b, 1, rx.Throw[int](errors.New("boom")))
	})
	if r.N != 0 {
		t.Fatalf("a failing stream gave a result: %v", r)
	}
}

// Example shows a benchmark of a user's pipeline; run it with
// go test -bench Pipeline -benchmem to read ns/item, allocs/item, B/item and
// items/s.
func Example() {
	result := testing.Benchmark(func(b *testing.B) {
		rxbench.Pipeline(b, 10_000, func(in rx.Observable[int]) rx.Observable[string] {
			return rx.Map(rx.Filter(in, func(v int) bool { return v%3 == 0 }), strconv.Itoa)
		})
	})
	_, ok := result.Extra["ns/item"]
	fmt.Println("reports ns/item:", ok)
	// Output: reports ns/item: true
}
