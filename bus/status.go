package bus

import "time"

// statusError is a bus error with a meaning for the client of a server that
// published on the bus's behalf: it is an sse.HTTPError (controllers and sse
// answer it with its status), without bus depending on an HTTP package.
type statusError struct {
	msg        string
	status     int
	client     string
	retryAfter time.Duration // 0: no Retry-After
}

func (e *statusError) Error() string { return e.msg }

// HTTPStatus is the status a server answers the error with.
func (e *statusError) HTTPStatus() int { return e.status }

// ClientMessage is what the client is told.
func (e *statusError) ClientMessage() string { return e.client }

// RetryAfter is when the client may try again (a Retry-After header), or 0.
func (e *statusError) RetryAfter() time.Duration { return e.retryAfter }
