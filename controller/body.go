package controller

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// DefaultMaxBodyBytes is the body size limit used when Options.MaxBodyBytes
// is zero: 1 MiB.
const DefaultMaxBodyBytes = 1 << 20

// requestError is a problem with the request found before the handler runs.
// The route answers it as an *sse.HTTPError: messages as a list (problems
// with fields), message as one string (problems with the request as a whole).
type requestError struct {
	status   int
	message  string
	messages []string
}

func badRequest(msg string) *requestError {
	return &requestError{status: http.StatusBadRequest, message: msg}
}

// bindConfig is what binding needs from the router and the route.
type bindConfig struct {
	maxBody       int64
	rejectUnknown bool
	validation    *validation
}

// bodyBuffers recycles the buffers request bodies are read into; the JSON
// decoder copies what it keeps, so a buffer is free once decoding returns.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps a rare huge body from pinning its buffer in the pool.
const maxPooledBuffer = 64 << 10

// readBody reads r's JSON body into field. Problems with the request as a
// whole (size, content type, syntax, encoding) come back as a requestError;
// a value of the wrong type for one field comes back as a fieldProblem so it
// is listed with the other fields' messages.
func readBody(r *http.Request, field reflect.Value, optional bool, cfg *bindConfig) (*fieldProblem, *requestError) {
	limit := cfg.maxBody
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	if r.ContentLength != 0 {
		if msg := checkContentType(r.Header.Get("Content-Type")); msg != "" {
			return nil, &requestError{status: http.StatusUnsupportedMediaType, message: msg}
		}
	}

	buf := bodyBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			bodyBuffers.Put(buf)
		}
	}()
	if r.Body != nil {
		if _, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1)); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, tooLarge(limit)
			}
			return nil, badRequest("request body could not be read")
		}
	}
	if int64(buf.Len()) > limit {
		return nil, tooLarge(limit)
	}
	data := buf.Bytes()

	if len(bytes.TrimSpace(data)) == 0 {
		if optional {
			return nil, nil
		}
		return nil, badRequest("request body should not be empty")
	}
	if !utf8.Valid(data) {
		return nil, badRequest(fmt.Sprintf("request body is not valid UTF-8 (at offset %d)", invalidUTF8At(data)))
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	if cfg.rejectUnknown {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(field.Addr().Interface())
	if err == nil {
		rest := data[dec.InputOffset():]
		if trimmed := bytes.TrimLeft(rest, " \t\r\n"); len(trimmed) != 0 {
			at := int(dec.InputOffset()) + len(rest) - len(trimmed)
			return nil, badRequest(fmt.Sprintf("request body is not valid JSON: unexpected data after the value (at offset %d)", at))
		}
		return nil, nil
	}
	return decodeProblem(err)
}

func tooLarge(limit int64) *requestError {
	return &requestError{
		status:  http.StatusRequestEntityTooLarge,
		message: "request body is larger than " + strconv.FormatInt(limit, 10) + " bytes",
	}
}

// decodeProblem words a JSON decoding error for the client.
func decodeProblem(err error) (*fieldProblem, *requestError) {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		// Offset counts the bytes read, the bad one included.
		return nil, badRequest(fmt.Sprintf("request body is not valid JSON: %s (at offset %d)", se.Error(), se.Offset-1))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return nil, badRequest("request body is not valid JSON: unexpected end of input")
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field == "" {
			return &fieldProblem{label: "body", message: "body must be " + jsonKind(te.Type), wholeBody: true}, nil
		}
		return &fieldProblem{label: te.Field, message: te.Field + " must be " + jsonKind(te.Type)}, nil
	}
	// The decoder words an unknown field as `json: unknown field "name"`;
	// there is no error type to match.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			name = n
		}
		return &fieldProblem{label: name, message: "property " + name + " should not exist"}, nil
	}
	// An UnmarshalJSON or UnmarshalText method refused the client's value.
	return nil, badRequest("request body is not valid: " + err.Error())
}

// jsonKind names what a JSON value must be to decode into t.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "a date-time string in RFC 3339 format"
	case t == durationType:
		return "an integer number of nanoseconds"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean value"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a value of type " + t.String()
}

// checkContentType returns "" when ct names JSON (application/json or
// application/*+json) in UTF-8, or the client's message otherwise.
func checkContentType(ct string) string {
	const want = "Content-Type must be application/json"
	if ct == "" {
		return want
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return want
	}
	if mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return want
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "Content-Type charset must be utf-8"
	}
	return ""
}

// invalidUTF8At returns the offset of the first byte that is not valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
