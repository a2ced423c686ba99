package httperr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Error is an error with an HTTP status and a message meant for the
// client: Nest's HttpException. It implements sse.HTTPError.
type Error struct {
	// Status is the HTTP status code, 100 to 999; any other is answered as
	// an unknown error (500).
	Status int
	// Message is shown to the client: a string, or a []string (validation
	// messages). Nil or "" shows the status text alone, as Nest's
	// exceptions built without a message do.
	Message any
	// Err is the cause: logged (at ERROR for a server error, 5xx; at
	// DEBUG for a client error, so that clients cannot fill the logs),
	// never shown to the client.
	Err error
}

// New returns an error answered with status and message.
func New(status int, message string) *Error {
	return &Error{Status: status, Message: message}
}

// Wrap returns an error answered with status and message whose cause, err,
// is logged (see Error.Err) but never shown to the client.
func Wrap(status int, message string, err error) *Error {
	return &Error{Status: status, Message: message, Err: err}
}

// Error describes the error for logs: status, message and cause.
func (e *Error) Error() string {
	s := strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
	if m := e.text(); m != "" {
		s += ": " + m
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// HTTPStatus returns the status the error is answered with.
func (e *Error) HTTPStatus() int { return e.Status }

// ClientMessage returns the message as one line of text, or the status
// text when there is none: the data of an SSE "error" event.
func (e *Error) ClientMessage() string {
	if m := e.text(); m != "" {
		return m
	}
	return StatusText(e.Status)
}

// MarshalJSON returns the body Nest answers: {"message":M,"error":"<status
// text>","statusCode":S}, or {"message":"<status text>","statusCode":S}
// without a message. Strings are not HTML-escaped, as JSON.stringify does.
func (e *Error) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 96)
	b = append(b, `{"message":`...)
	switch m := e.Message.(type) {
	case nil:
		b = appendString(b, StatusText(e.Status))
		return appendStatusCode(b, e.Status), nil
	case string:
		if m == "" {
			b = appendString(b, StatusText(e.Status))
			return appendStatusCode(b, e.Status), nil
		}
		b = appendString(b, m)
	default:
		j, err := marshal(m)
		if err != nil {
			j = appendString(nil, e.text())
		}
		b = append(b, j...)
	}
	b = append(b, `,"error":`...)
	b = appendString(b, StatusText(e.Status))
	return appendStatusCode(b, e.Status), nil
}

// StatusText is the error name Nest's exceptions give a status: Go's
// status text, except where Nest words it otherwise.
func StatusText(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Payload Too Large" // PayloadTooLargeException
	case http.StatusMisdirectedRequest:
		return "Misdirected" // MisdirectedException
	}
	return http.StatusText(status)
}

// text is the message as one line of text.
func (e *Error) text() string {
	switch m := e.Message.(type) {
	case nil:
		return ""
	case string:
		return m
	case []string:
		b, _ := marshal(m)
		return string(b)
	default:
		return fmt.Sprint(m)
	}
}

// appendStatusCode ends a body with its statusCode, last as in Nest.
func appendStatusCode(b []byte, status int) []byte {
	b = append(b, `,"statusCode":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	return append(b, '}')
}

func appendString(dst []byte, s string) []byte {
	j, err := marshal(s)
	if err != nil { // cannot happen for a string
		return append(dst, `""`...)
	}
	return append(dst, j...)
}

// marshal encodes v as JSON.stringify does: compact, without HTML
// escaping, U+2028 and U+2029 as they are.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if !bytes.Contains(b, []byte(`\u202`)) {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if bytes.HasPrefix(b[i:], []byte(`\u2028`)) || bytes.HasPrefix(b[i:], []byte(`\u2029`)) {
			out = append(out, "\u2028"[:2]...) // the first two bytes of U+2028 and U+2029
			out = append(out, 0xa8+b[i+5]-'8')
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1]) // another escape, kept whole
		i++
	}
	return out, nil
}
