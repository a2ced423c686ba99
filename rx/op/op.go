package op

import (
	"time"

	"github.com/rxsse/rxsse/rx"
)

// Each constructor first builds its operator once over rx.Empty, so that a
// nil function or a bad count panics where the pipeline is written, with the
// rx function's message, rather than when it is applied.

// Map is rx.Map as an Operator.
func Map[T, R any](f func(T) R) rx.Operator[T, R] {
	_ = rx.Map(rx.Empty[T](), f)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.Map(src, f) }
}

// Filter is rx.Filter as an Operator.
func Filter[T any](keep func(T) bool) rx.Operator[T, T] {
	_ = rx.Filter(rx.Empty[T](), keep)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Filter(src, keep) }
}

// Take is rx.Take as an Operator.
func Take[T any](n int) rx.Operator[T, T] {
	_ = rx.Take(rx.Empty[T](), n)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Take(src, n) }
}

// TakeUntil is rx.TakeUntil as an Operator.
func TakeUntil[T, N any](notifier rx.Observable[N]) rx.Operator[T, T] {
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.TakeUntil(src, notifier) }
}

// TakeWhile is rx.TakeWhile as an Operator.
func TakeWhile[T any](keep func(T) bool) rx.Operator[T, T] {
	_ = rx.TakeWhile(rx.Empty[T](), keep)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.TakeWhile(src, keep) }
}

// Skip is rx.Skip as an Operator.
func Skip[T any](n int) rx.Operator[T, T] {
	_ = rx.Skip(rx.Empty[T](), n)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Skip(src, n) }
}

// Scan is rx.Scan as an Operator.
func Scan[T, R any](acc func(R, T) R, seed R) rx.Operator[T, R] {
	_ = rx.Scan(rx.Empty[T](), acc, seed)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.Scan(src, acc, seed) }
}

// StartWith is rx.StartWith as an Operator.
func StartWith[T any](values ...T) rx.Operator[T, T] {
	values = append([]T(nil), values...)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.StartWith(src, values...) }
}

// Tap is rx.Tap as an Operator.
func Tap[T any](f func(T)) rx.Operator[T, T] {
	_ = rx.Tap(rx.Empty[T](), f)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Tap(src, f) }
}

// TapObserver is rx.TapObserver as an Operator.
func TapObserver[T any](obs rx.Observer[T]) rx.Operator[T, T] {
	_ = rx.TapObserver(rx.Empty[T](), obs)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.TapObserver(src, obs) }
}

// Finalize is rx.Finalize as an Operator.
func Finalize[T any](f func()) rx.Operator[T, T] {
	_ = rx.Finalize(rx.Empty[T](), f)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Finalize(src, f) }
}

// DistinctUntilChanged is rx.DistinctUntilChanged as an Operator.
func DistinctUntilChanged[T comparable]() rx.Operator[T, T] {
	return rx.DistinctUntilChanged[T]
}

// DistinctUntilChangedFunc is rx.DistinctUntilChangedFunc as an Operator.
func DistinctUntilChangedFunc[T any](equal func(prev, cur T) bool) rx.Operator[T, T] {
	_ = rx.DistinctUntilChangedFunc(rx.Empty[T](), equal)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.DistinctUntilChangedFunc(src, equal) }
}

// MergeWith merges the source with others (rx.Merge of the source and
// others), as RxJS's mergeWith.
func MergeWith[T any](others ...rx.Observable[T]) rx.Operator[T, T] {
	others = append([]rx.Observable[T](nil), others...)
	return func(src rx.Observable[T]) rx.Observable[T] {
		return rx.Merge(append([]rx.Observable[T]{src}, others...)...)
	}
}

// ConcatWith emits the source's values, then those of others in turn
// (rx.Concat of the source and others), as RxJS's concatWith.
func ConcatWith[T any](others ...rx.Observable[T]) rx.Operator[T, T] {
	others = append([]rx.Observable[T](nil), others...)
	return func(src rx.Observable[T]) rx.Observable[T] {
		return rx.Concat(append([]rx.Observable[T]{src}, others...)...)
	}
}

// MergeMap is rx.MergeMap as an Operator.
func MergeMap[T, R any](project func(T) rx.Observable[R]) rx.Operator[T, R] {
	_ = rx.MergeMap(rx.Empty[T](), project)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.MergeMap(src, project) }
}

// MergeMapLimit is rx.MergeMapLimit as an Operator.
func MergeMapLimit[T, R any](project func(T) rx.Observable[R], concurrent int) rx.Operator[T, R] {
	_ = rx.MergeMapLimit(rx.Empty[T](), project, concurrent)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.MergeMapLimit(src, project, concurrent) }
}

// ConcatMap is rx.ConcatMap as an Operator.
func ConcatMap[T, R any](project func(T) rx.Observable[R]) rx.Operator[T, R] {
	_ = rx.ConcatMap(rx.Empty[T](), project)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.ConcatMap(src, project) }
}

// SwitchMap is rx.SwitchMap as an Operator.
func SwitchMap[T, R any](project func(T) rx.Observable[R]) rx.Operator[T, R] {
	_ = rx.SwitchMap(rx.Empty[T](), project)
	return func(src rx.Observable[T]) rx.Observable[R] { return rx.SwitchMap(src, project) }
}

// Debounce is rx.Debounce as an Operator.
func Debounce[T any](d time.Duration) rx.Operator[T, T] {
	_ = rx.Debounce(rx.Empty[T](), d)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Debounce(src, d) }
}

// Throttle is rx.Throttle as an Operator.
func Throttle[T any](d time.Duration) rx.Operator[T, T] {
	_ = rx.Throttle(rx.Empty[T](), d)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Throttle(src, d) }
}

// BufferTime is rx.BufferTime as an Operator.
func BufferTime[T any](period time.Duration) rx.Operator[T, []T] {
	_ = rx.BufferTime(rx.Empty[T](), period)
	return func(src rx.Observable[T]) rx.Observable[[]T] { return rx.BufferTime(src, period) }
}

// Timeout is rx.Timeout as an Operator.
func Timeout[T any](d time.Duration) rx.Operator[T, T] {
	_ = rx.Timeout(rx.Empty[T](), d)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Timeout(src, d) }
}

// CatchError is rx.CatchError as an Operator.
func CatchError[T any](handler func(err error) rx.Observable[T]) rx.Operator[T, T] {
	_ = rx.CatchError(rx.Empty[T](), handler)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.CatchError(src, handler) }
}

// Retry is rx.Retry as an Operator.
func Retry[T any](count int) rx.Operator[T, T] {
	_ = rx.Retry(rx.Empty[T](), count)
	return func(src rx.Observable[T]) rx.Observable[T] { return rx.Retry(src, count) }
}

// Share is rx.Share as an Operator. Each application shares its own source:
// apply it once and hand the result to every subscriber.
func Share[T any]() rx.Operator[T, T] {
	return rx.Share[T]
}
