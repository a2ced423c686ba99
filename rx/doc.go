// Package rx is a push-based, typed implementation of reactive streams with
// the semantics of RxJS, the library NestJS handlers return their
// Server-Sent Events streams with.
//
// An [Observable] is a cold recipe: nothing runs until [Observable.Subscribe],
// and every subscription runs its own copy (an [Interval] given to two
// clients counts 0, 1, 2, … for each). [Subject] and its Behavior and Replay
// forms are the hot sources, and [Share] turns a cold source into a hot one
// shared by reference count.
//
// Subscribe takes a context.Context: cancelling it, or calling
// [Subscription.Unsubscribe], ends the run, and every teardown registered by
// the sources and operators then runs exactly once (they also run on
// completion and on error). The observer sees the Rx grammar: Next any
// number of times, then at most one of Error or Complete, never two calls at
// once, even when the values come from many goroutines.
//
// Operators are package-level generic functions taking the source first and
// named as in RxJS: [Map], [Filter], [Take], [CombineLatest],
// [WithLatestFrom], [SwitchMap], [ExhaustMap], [Debounce], [RetryWith],
// [ShareReplay], … — every non-deprecated RxJS 7 operator and creation
// function that has a meaning in Go (110 of 118); RXJS.md in this directory
// maps each RxJS name to its rx function and notes the differences.
// Package rx/op, generated from this package so that the two cannot drift,
// provides each in operator form for [Pipe1]…[Pipe8]:
//
//	names := rx.Pipe2(users,
//		op.Filter(func(u User) bool { return u.Active }),
//		op.Map(func(u User) string { return u.Name }),
//	)
//
// Synchronous operators are plain function calls on the producer's
// goroutine: no channel and no goroutine per operator, no allocation per
// value. A run of Map (to the same type), Filter and Tap fuses into one
// stage, and over a slice source into one loop: From→Map→Filter→Map costs
// the three functions, the observer and little more. Time-based sources and operators wait with timers, not parked
// goroutines, so an idle subscription costs memory only.
//
// A panic in user code (an operator's function, a producer, an observer)
// fails that stream with a [*PanicError]; the process and other streams go
// on. Misuse at construction (a nil function, a negative count) panics at
// once with a message starting with "rx: ".
//
// Package rx depends on the standard library only. Package rx/rxgobridge
// connects it to github.com/reactivex/rxgo/v2, releasing rxgo's goroutines
// when the rx side is cancelled; package rx/rxbench measures pipelines in
// benchmarks.
package rx
