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
// The route answers it as an *httperr.Error: messages as a list (problems
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
		// With a known length (checked above) the server's body reader stops
		// at it; otherwise the limit is enforced while reading.
		var body io.Reader = r.Body
		if r.ContentLength < 0 {
			body = io.LimitReader(r.Body, limit+1)
		}
		if _, err := buf.ReadFrom(body); err != nil {
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

	target := field.Addr().Interface()
	if !cfg.rejectUnknown {
		// Unmarshal also refuses data after the value, as a syntax error.
		if err := json.Unmarshal(data, target); err != nil {
			return decodeProblem(err)
		}
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(target); err != nil {
		return decodeProblem(err)
	}
	rest := data[dec.InputOffset():]
	if trimmed := bytes.TrimLeft(rest, " \t\r\n"); len(trimmed) != 0 {
		// Worded as Unmarshal words it.
		at := int(dec.InputOffset()) + len(rest) - len(trimmed)
		return nil, badRequest(fmt.Sprintf("request body is not valid JSON: invalid character %s after top-level value (at offset %d)", quoteByte(trimmed[0]), at))
	}
	return nil, nil
}

// quoteByte quotes a byte as encoding/json's syntax errors do.
func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
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
		if se.Error() == "unexpected end of JSON input" {
			return nil, badRequest("request body is not valid JSON: unexpected end of input")
		}
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
	switch ct {
	case "":
		return want
	case "application/json", "application/json; charset=utf-8", "application/json;charset=utf-8", "application/json; charset=UTF-8":
		return "" // the usual ones, without ParseMediaType's map
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
