package rx

// callRecovered calls f and returns the panic it raised as a *PanicError.
// Operators use it where a panic would otherwise reach a goroutine whose
// stream has already stopped (and would be dropped).
func callRecovered(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = newPanicError(r)
		}
	}()
	f()
	return nil
}

// apply calls f(v), returning a panic as a *PanicError.
func apply[T, R any](f func(T) R, v T) (r R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = newPanicError(p)
		}
	}()
	return f(v), nil
}
