// Package pipebench measures what a stream pipeline costs per item: time,
// allocations, bytes and throughput. Use Bench from your own
// `go test -bench` benchmarks, or Measure from a program; `go run ./bench
// pipeline` uses Measure to put rx, rxgo, plain channels and a plain loop
// side by side.
//
// A pass is one run of the pipeline over a fixed number of items. It returns
// a checksum of what reached the end (a sum, the last value, …), which is
// compared with the expected one: a pipeline that drops or duplicates items
// cannot look fast.
//
//	func BenchmarkDoubleEvens(b *testing.B) {
//		ints := make([]int, 100_000)
//		for i := range ints {
//			ints[i] = i
//		}
//		pipeline := rx.Map(rx.Filter(rx.From(ints), isEven), double)
//		pipebench.Bench(b, len(ints), 4_999_900_000, func() int64 {
//			sum, _ := pipebench.Sum(context.Background(), pipeline)
//			return sum
//		})
//	}
//
// reports, besides ns/op, the ns/item, allocs/item, B/item and items/s of
// the pipeline.
package pipebench
