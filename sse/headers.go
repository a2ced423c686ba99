package sse

import (
	"net/http"
	"strings"
)

// sseHeaders are the headers Nest sends with every stream. They replace any
// header of the same name set before, whatever its case.
var sseHeaders = [...][2]string{
	{"Content-Type", "text/event-stream"},
	{"Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0, no-transform"},
	{"Pragma", "no-cache"},
	{"Expires", "0"},
	{"X-Accel-Buffering", "no"},
}

// setStreamHeaders sets the SSE headers on h. Connection: keep-alive is an
// HTTP/1 header (forbidden in HTTP/2). Content-Length, which a stream cannot
// honour, is removed.
func setStreamHeaders(h http.Header, protoMajor int) {
	for k := range h {
		if isStreamHeader(k) {
			delete(h, k)
		}
	}
	for _, kv := range sseHeaders {
		h[kv[0]] = []string{kv[1]}
	}
	if protoMajor == 1 {
		h["Connection"] = []string{"keep-alive"}
	}
}

func isStreamHeader(k string) bool {
	for _, kv := range sseHeaders {
		if strings.EqualFold(k, kv[0]) {
			return true
		}
	}
	return strings.EqualFold(k, "Connection") || strings.EqualFold(k, "Content-Length")
}

// bodyAllowed reports whether a response with this status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
