package sse

import "net/http"

// LastEventID returns the id of the last event the client received, as it
// sends it when it reconnects: the Last-Event-ID header, or, for clients that
// cannot set headers, the "lastEventId" query parameter. It returns "" when
// neither is present.
func LastEventID(r *http.Request) string {
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		return id
	}
	if r.URL == nil || r.URL.RawQuery == "" {
		return ""
	}
	return r.URL.Query().Get("lastEventId")
}
