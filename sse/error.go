package sse

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// HTTPError is an error meant for the client, such as *httperr.Error (which
// controllers return): before a stream's headers are sent it is answered
// with its status (see WriteError); after, its ClientMessage is the data of
// an "error" event. Any other error is answered with a generic message.
type HTTPError interface {
	error
	// HTTPStatus is the status to answer with, 100 to 999.
	HTTPStatus() int
	// ClientMessage is the message the client may see.
	ClientMessage() string
}

// clientMessage is the text an "error" event carries for err: the message
// of an HTTPError, or a generic one that leaks nothing.
func clientMessage(err error) string {
	if he, ok := errors.AsType[HTTPError](err); ok {
		if m := he.ClientMessage(); m != "" {
			return m
		}
		return statusText(he.HTTPStatus())
	}
	return internalMessage
}

const internalMessage = "Internal server error"

// WriteError answers err as Nest does. An HTTPError (found with errors.As)
// is answered with its status and, as the body, its MarshalJSON when it has
// one (as *httperr.Error has), or else Nest's {"message":M,"error":"<status
// text>","statusCode":S} built from its ClientMessage
// ({"message":"<status text>","statusCode":S} when that is empty). Anything else is
// logged with logger (slog.Default() when nil) and answered 500
// {"statusCode":500,"message":"Internal server error"}, so internal details
// never reach the client. A server error (5xx) that wraps a cause is logged
// too; the cause of a client error (4xx: a bad token, say) is logged at
// DEBUG only, so that no client can fill the logs. It must be called before
// anything was written.
func WriteError(w http.ResponseWriter, r *http.Request, err error, logger *slog.Logger) {
	status, body := errorBody(err)
	if logged(err) {
		logError(r.Context(), r, logger, "sse: request failed", err)
	} else if clientCause(err) {
		if logger == nil {
			logger = slog.Default()
		}
		logger.DebugContext(r.Context(), "sse: client error", "err", err, "method", r.Method, "path", r.URL.Path)
	}
	h := w.Header()
	if ra, ok := errors.AsType[interface {
		error
		RetryAfter() time.Duration
	}](err); ok && ra.RetryAfter() > 0 {
		secs := (ra.RetryAfter() + time.Second - 1) / time.Second
		h.Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // the client may be gone; nothing more to do
	}
}

var internalBody = []byte(`{"statusCode":500,"message":"Internal server error"}`)

// errorBody returns the status and the JSON body Nest sends for err; only
// the generic 500 puts statusCode first.
func errorBody(err error) (int, []byte) {
	he, ok := errors.AsType[HTTPError](err)
	if !ok {
		return http.StatusInternalServerError, internalBody
	}
	status := he.HTTPStatus()
	if status < 100 || status > 999 {
		return http.StatusInternalServerError, internalBody
	}
	if m, ok := he.(json.Marshaler); ok {
		if b, err := m.MarshalJSON(); err == nil {
			return status, b
		}
	}
	b := make([]byte, 0, 96)
	b = append(b, `{"message":`...)
	if m := he.ClientMessage(); m != "" {
		b = appendJSONString(b, m)
		b = append(b, `,"error":`...)
	}
	b = appendJSONString(b, statusText(status))
	b = append(b, `,"statusCode":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	return status, append(b, '}')
}

// statusError is the HTTPError of the adapter's own answers (503 "too many
// open streams", with a Retry-After).
type statusError struct {
	status     int
	message    string
	retryAfter time.Duration
}

// newStatusError returns the adapter's own HTTPError (users have
// httperr.New and the errors of package controller).
func newStatusError(status int, message string, retryAfter time.Duration) HTTPError {
	return &statusError{status: status, message: message, retryAfter: retryAfter}
}

func (e *statusError) Error() string {
	return strconv.Itoa(e.status) + " " + http.StatusText(e.status) + ": " + e.message
}

func (e *statusError) HTTPStatus() int           { return e.status }
func (e *statusError) ClientMessage() string     { return e.message }
func (e *statusError) RetryAfter() time.Duration { return e.retryAfter }

// statusText is the error name Nest's exceptions give a status.
func statusText(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Payload Too Large"
	case http.StatusMisdirectedRequest:
		return "Misdirected"
	}
	return http.StatusText(status)
}

// appendJSONString appends s as a JSON string, without HTML escaping.
func appendJSONString(dst []byte, s string) []byte {
	j, err := marshalJSON(s)
	if err != nil { // cannot happen for a string
		return append(dst, `""`...)
	}
	return append(dst, j...)
}

// logError logs a failure that the client only sees as a generic message.
func logError(ctx context.Context, r *http.Request, logger *slog.Logger, msg string, err error) {
	if logger == nil {
		logger = slog.Default()
	}
	logger.ErrorContext(ctx, msg, "err", err, "method", r.Method, "path", r.URL.Path)
}

// logged reports whether err must be logged as an error: the client sees
// only a generic message for it, or it is a server error (5xx) with a
// cause. A client error is not a server error, whatever its cause.
func logged(err error) bool {
	he, ok := errors.AsType[HTTPError](err)
	return !ok || (he.HTTPStatus() >= 500 && errors.Unwrap(he) != nil)
}

// clientCause reports whether err is a client error (4xx) with a cause.
func clientCause(err error) bool {
	he, ok := errors.AsType[HTTPError](err)
	return ok && he.HTTPStatus() < 500 && errors.Unwrap(he) != nil
}
