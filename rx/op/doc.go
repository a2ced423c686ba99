// Package op provides the operators of package rx in operator form, for
// pipelines written with rx.Pipe1…rx.Pipe8, as RxJS's rxjs/operators does:
// op.Map(f) is the rx.Operator that applies rx.Map(src, f) to its source.
//
//	names := rx.Pipe3(users,
//		op.Filter(func(u User) bool { return u.Active }),
//		op.Map(func(u User) string { return u.Name }),
//		op.Take[string](10),
//	)
//
// Operators whose type parameters cannot be inferred from their arguments
// (op.Take, op.Skip, op.Retry, op.Debounce, …) take them explicitly:
// op.Take[string](10). Merge and Concat, which take several sources, are
// op.MergeWith and op.ConcatWith. A nil function or a bad count panics when
// the operator is built, with the rx function's message.
package op
