// Package rxgobridge connects rx to github.com/reactivex/rxgo/v2 (v2.5.0):
// [From] reads any rxgo Observable as an rx.Observable, [To] hands an
// rx.Observable to rxgo code, and [Stage] (or [Operator], for rx.Pipe) runs
// rxgo operators as one stage of an rx pipeline. It lives apart from rx so
// that rx depends on the standard library only; import it where rxgo is
// already in use.
//
// rxgo runs every stage in its own goroutine, passing items over channels,
// and stops a stage only when the context given to it with rxgo.WithContext
// is cancelled; a stage whose reader goes away without cancelling blocks for
// ever. The bridge therefore hands the subscription's context to rxgo at
// every Observe (rxgo passes it up the chain), cancels it when the rx side
// ends, and drains what rxgo still sends until rxgo closes its channel, so
// that no rxgo goroutine is left behind.
//
//	pairs := rxgobridge.Stage[int, []any](rx.Of(1, 2, 3, 4), func(ctx context.Context, in rxgo.Observable) rxgo.Observable {
//		return in.BufferWithCount(2, rxgo.WithContext(ctx))
//	})
package rxgobridge
