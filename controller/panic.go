package controller

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// panicError is what a panic in a guard, handler or interceptor becomes: a
// 500 for the client, logged with its stack.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("controller: panic: %v\n%s", e.value, e.stack)
}

// Unwrap returns the panic value when it is an error.
func (e *panicError) Unwrap() error {
	err, _ := e.value.(error)
	return err
}

// recoverTo turns a panic into *err. It must be deferred directly.
// http.ErrAbortHandler keeps its meaning: it aborts the response.
func recoverTo(err *error) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		*err = &panicError{value: v, stack: debug.Stack()}
	}
}
