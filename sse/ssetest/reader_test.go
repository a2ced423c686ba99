package ssetest_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/rxsse/rxsse/sse/ssetest"
)

func ev(typ, data, id string, comments ...string) ssetest.Event {
	return ssetest.Event{Type: typ, Data: data, LastEventID: id, Comments: comments}
}

func TestReaderWHATWG(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stream string
		want   []ssetest.Event
	}{
		// The examples of the HTML standard, section "Event stream
		// interpretation".
		{"multi-line data", "data: YHOO\ndata: +2\ndata: 10\n\n", []ssetest.Event{ev("message", "YHOO\n+2\n10", "")}},
		{"ids and comments", ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
			[]ssetest.Event{ev("message", "first event", "1", "test stream"), ev("message", "second event", ""), ev("message", " third event", "")}},
		{"empty data, newline data, unterminated block", "data\n\ndata\ndata\n\ndata:",
			[]ssetest.Event{ev("message", "", ""), ev("message", "\n", "")}},
		{"one space removed", "data:test\n\ndata: test\n\n", []ssetest.Event{ev("message", "test", ""), ev("message", "test", "")}},
		// Line ends and the byte order mark.
		{"CR, LF and CRLF", "data: a\rdata: b\ndata: c\r\ndata: d\r\r\ndata: e\n\r", []ssetest.Event{ev("message", "a\nb\nc\nd", ""), ev("message", "e", "")}},
		{"BOM stripped once", "\uFEFFdata: a\n\n\uFEFFdata: b\n\n", []ssetest.Event{ev("message", "a", "")}},
		{"BOM kept inside values", "data: \uFEFFa\n\n", []ssetest.Event{ev("message", "\uFEFFa", "")}},
		// Fields.
		{"event type, reset after dispatch", "event: add\ndata: 1\n\ndata: 2\n\n", []ssetest.Event{ev("add", "1", ""), ev("message", "2", "")}},
		{"empty event type is message", "event:\ndata: 1\n\n", []ssetest.Event{ev("message", "1", "")}},
		{"type of a block without data is dropped", "event: x\n\ndata: 1\n\n", []ssetest.Event{ev("message", "1", "")}},
		{"id with NUL ignored", "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n", []ssetest.Event{ev("message", "a", "1"), ev("message", "b", "1")}},
		{"id persists, set by a block without data", "id: 7\n\ndata: a\n\ndata: b\nid: \n\n", []ssetest.Event{ev("message", "a", "7"), ev("message", "b", "")}},
		{"unknown fields and field names with spaces ignored", "foo: bar\ndata : x\ndata: y\n\n", []ssetest.Event{ev("message", "y", "")}},
		{"colon in the value", "data: a: b\n\n", []ssetest.Event{ev("message", "a: b", "")}},
		{"comments without space and empty", ":x\n:\n: y\ndata: 1\n\n", []ssetest.Event{ev("message", "1", "", "x", "", "y")}},
		{"invalid UTF-8 becomes U+FFFD", "data: a\xffb\xe2\x82c\xf0\x9f\x98\n\n", []ssetest.Event{ev("message", "a\uFFFDb\uFFFDc\uFFFD", "")}},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// One byte per read: a CR at the end of a read must still pair with
			// the LF that follows.
			for _, r := range []io.Reader{strings.NewReader(tt.stream), iotest.OneByteReader(strings.NewReader(tt.stream))} {
				got, err := ssetest.NewReader(r).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %q\nwant %q", got, tt.want)
				}
			}
		})
	}
}

func TestReaderRetry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		stream string
		want   time.Duration
		ok     bool
	}{
		{"retry: 1500\n", 1500 * time.Millisecond, true},
		{"retry: 0\n", 0, true},
		{"retry: 10a\n", 0, false},
		{"retry: -1\n", 0, false},
		{"retry: \n", 0, false},
		{"retry: 1 0\n", 0, false},
		{"retry: 5\nretry: x\n", 5 * time.Millisecond, true},
	} {
		r := ssetest.NewReader(strings.NewReader(tt.stream))
		if _, err := r.Next(); err != io.EOF {
			t.Fatal(err)
		}
		if got, ok := r.Retry(); got != tt.want || ok != tt.ok {
			t.Errorf("%q: retry %v %v, want %v %v", tt.stream, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadN(t *testing.T) {
	t.Parallel()
	r := ssetest.NewReader(strings.NewReader("data: 1\n\ndata: 2\n\n"))
	evs, err := r.ReadN(3)
	if len(evs) != 2 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("ReadN(3) of 2: %v, %v", evs, err)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stream":
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "\nid: "+r.Header.Get("Last-Event-ID")+"\ndata: hi\n\n")
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "{}")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st, err := ssetest.Open(t.Context(), srv.Client(), srv.URL+"/stream", http.Header{"Last-Event-Id": {"41"}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if evs, err := st.ReadAll(); err != nil || !reflect.DeepEqual(evs, []ssetest.Event{ev("message", "hi", "41")}) {
		t.Errorf("ReadAll: %v %v", evs, err)
	}
	if _, err := ssetest.Open(t.Context(), nil, srv.URL+"/json", nil); err == nil || !strings.Contains(err.Error(), "Content-Type") {
		t.Errorf("Open of JSON: %v", err)
	}
	if _, err := ssetest.Open(t.Context(), nil, srv.URL+"/missing", nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Open of a 404: %v", err)
	}
}
