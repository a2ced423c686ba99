package controller

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"sync"

	"github.com/rxsse/rxsse/sse"
)

// resultBuffers recycle the buffers JSON results are encoded into.
var resultBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// The Content-Type values are shared, as net/http shares its own: one
// element with no spare capacity, so appending to them copies.
var (
	jsonType = []string{"application/json; charset=utf-8"}
	htmlType = []string{"text/html; charset=utf-8"}
)

// writeResult answers a JSON route's result as Nest's Express adapter does:
// nil as an empty body, strings, numbers and bools as text/html, anything
// else as JSON.
func (rt *route) writeResult(w http.ResponseWriter, req *http.Request, status int, out any) {
	if out == nil || (rt.nilable && isNilPointer(out)) {
		w.WriteHeader(status)
		return
	}
	buf := resultBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			resultBuffers.Put(buf)
		}
	}()

	contentType := jsonType
	v := reflect.ValueOf(out)
	switch v.Kind() {
	case reflect.String:
		contentType = htmlType
		buf.WriteString(v.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		// encoding/json formats numbers as JavaScript's String() does.
		contentType = htmlType
		fallthrough
	default:
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false) // JSON.stringify leaves <, > and & alone
		if err := enc.Encode(out); err != nil {
			// A result JSON cannot encode (a channel, NaN) is a bug of the
			// handler; nothing was written yet, so it gets a proper 500.
			sse.WriteError(w, req, err, rt.app.logger)
			return
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}

	h := w.Header()
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = contentType
	}
	if !bodyAllowed(status) {
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if req.Method == http.MethodHead {
		return
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		rt.app.logger.DebugContext(req.Context(), "controller: writing the response failed", "err", err, "method", req.Method, "path", req.URL.Path)
	}
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// bodyAllowed reports whether a response with status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
