// Package rxbench measures rx pipelines in benchmarks, reporting the cost
// per value that passes through rather than per call. It is a separate
// package so that package rx does not import testing.
//
//	func BenchmarkPrices(b *testing.B) {
//		rxbench.Pipeline(b, 100_000, func(in rx.Observable[int]) rx.Observable[string] {
//			return rx.Map(rx.Filter(in, isValid), format)
//		})
//	}
//
// run with go test -bench Prices -benchmem, reports ns/item, allocs/item,
// B/item and items/s next to the usual figures.
package rxbench
