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
// op.go is generated from package rx (go generate ./rx/op): every rx
// function whose first parameter is its source has a form here with the
// same name, type parameters and remaining parameters, so the two cannot
// drift, and a test fails when op.go is stale. rx.Map(src, f) remains the
// one way to write an operator; op is the same operator, applied later.
//
// Operators whose type parameters cannot be inferred from their arguments
// (op.Take, op.Skip, op.Retry, op.Debounce, …) take them explicitly:
// op.Take[string](10). Creation functions (Merge, Concat,
// CombineLatest, …) have no form here; their operator forms are MergeWith,
// ConcatWith, CombineLatestWith, …. A nil function or a bad count panics when
// the operator is built, with the rx function's message.
package op

//go:generate go run ./internal/opgen/gen
