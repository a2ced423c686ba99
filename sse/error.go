package sse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
)

// HTTPError is an error with an HTTP status and a message meant for the
// client, as Nest's HttpException. Before a stream's headers are sent it
// becomes the response (see WriteError); after, the data of an "error"
// event. Anything else that fails is answered with a generic message.
type HTTPError struct {
	// Status is the HTTP status code.
	Status int
	// Message is shown to the client: a string, or a []string (validation
	// messages). Nil or "" shows the status text.
	Message any
	// Err is the cause: logged, never shown to the client.
	Err error
}

// NewHTTPError returns an HTTPError with a status and a client-visible
// message.
func NewHTTPError(status int, message string) *HTTPError {
	return &HTTPError{Status: status, Message: message}
}

// Error describes the error for logs: status, message and cause.
func (e *HTTPError) Error() string {
	s := strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
	if m := e.messageText(); m != "" {
		s += ": " + m
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *HTTPError) Unwrap() error { return e.Err }

// messageText is the message as one line of text.
func (e *HTTPError) messageText() string {
	switch m := e.Message.(type) {
	case nil:
		return ""
	case string:
		return m
	case []string:
		b, _ := json.Marshal(m)
		return string(b)
	default:
		return fmt.Sprint(m)
	}
}

// clientMessage is the text an "error" event carries for err: the message
// of an HTTPError, or a generic one that leaks nothing.
func clientMessage(err error) string {
	var he *HTTPError
	if errors.As(err, &he) {
		if m := he.messageText(); m != "" {
			return m
		}
		return statusText(he.Status)
	}
	return internalMessage
}

const internalMessage = "Internal server error"

// WriteError answers err as Nest does. An *HTTPError (found with errors.As)
// is answered with its status and the body
// {"message":M,"error":"<status text>","statusCode":S}; anything else is
// logged with logger (slog.Default() when nil) and answered 500
// {"statusCode":500,"message":"Internal server error"}, so internal details
// never reach the client. It must be called before anything was written.
func WriteError(w http.ResponseWriter, r *http.Request, err error, logger *slog.Logger) {
	status, body := errorBody(err)
	if logged(err) {
		logError(r.Context(), r, logger, "sse: request failed", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // the client may be gone; nothing more to do
	}
}

// errorBody returns the status and the JSON body Nest sends for err:
// {"message":M,"error":"<status text>","statusCode":S} for an HTTPError
// with a message, {"message":"<status text>","statusCode":S} for one
// without, and {"statusCode":500,"message":"Internal server error"} (the
// only shape with statusCode first) for anything else.
func errorBody(err error) (int, []byte) {
	var he *HTTPError
	if !errors.As(err, &he) || he.Status < 100 || he.Status > 999 {
		return http.StatusInternalServerError,
			[]byte(`{"statusCode":500,"message":"Internal server error"}`)
	}
	b := make([]byte, 0, 96)
	b = append(b, `{"message":`...)
	switch m := he.Message.(type) {
	case nil:
		b = appendJSONString(b, statusText(he.Status))
		return he.Status, appendStatusCode(b, he.Status)
	case string:
		if m == "" {
			b = appendJSONString(b, statusText(he.Status))
			return he.Status, appendStatusCode(b, he.Status)
		}
		b = appendJSONString(b, m)
	default:
		j, jerr := marshalJSON(m)
		if jerr != nil {
			j = appendJSONString(nil, he.messageText())
		}
		b = append(b, j...)
	}
	b = append(b, `,"error":`...)
	b = appendJSONString(b, statusText(he.Status))
	return he.Status, appendStatusCode(b, he.Status)
}

// appendStatusCode ends an error body with its statusCode, last as in Nest.
func appendStatusCode(b []byte, status int) []byte {
	b = append(b, `,"statusCode":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	return append(b, '}')
}

// statusText is the error name Nest's exceptions give a status: Go's
// status text, except where Nest words it otherwise.
func statusText(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Payload Too Large" // PayloadTooLargeException
	case http.StatusMisdirectedRequest:
		return "Misdirected" // MisdirectedException
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

// logged reports whether err must be logged: the client sees only a generic
// message for it, or it has a cause.
func logged(err error) bool {
	var he *HTTPError
	return !errors.As(err, &he) || he.Err != nil
}
