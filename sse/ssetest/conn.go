package ssetest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultTimeout is how long a Conn waits for an event, or for the end of
// its stream, unless its Timeout says otherwise.
const DefaultTimeout = 5 * time.Second

// Conn is an event stream a test reads: Connect opens one. Its methods fail
// the test (t.Fatal) when what they expect does not happen in time, so a
// test reads as a list of expectations:
//
//	c := ssetest.Connect(t, srv.URL+"/notify/stream")
//	ev := c.Next()               // the next event, within Timeout
//	c.ExpectNone(100 * time.Millisecond)
//
// Events are read in the background from the moment the stream opens, so
// none is lost between two calls. A Conn is closed when the test ends. Its
// methods must be called from the test's goroutine.
type Conn struct {
	// Response is the stream's response; its body is read by the Conn.
	Response *http.Response
	// Timeout is how long Next and ExpectEnd wait; zero means
	// DefaultTimeout.
	Timeout time.Duration

	t      testing.TB
	lastID string
	events chan Event
	err    error // why the stream ended; set before events is closed
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// Connect sends a GET request for url, with header pairs ("Last-Event-ID",
// "7", …), and checks that the answer is a stream: status 200 and
// Content-Type text/event-stream. Otherwise the test fails, with the status
// and body it got.
func Connect(t testing.TB, url string, header ...string) *Conn {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("ssetest: %v", err)
	}
	setPairs(t, req.Header, header)
	return connect(t, nil, req)
}

// ConnectJSON posts body as JSON to url and reads the answer as a stream,
// for SSE routes on POST (such as a chat completion).
func ConnectJSON(t testing.TB, url, body string, header ...string) *Conn {
	t.Helper()
	return connect(t, nil, jsonRequest(t, url, body, header))
}

func jsonRequest(t testing.TB, url, body string, header []string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("ssetest: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	setPairs(t, req.Header, header)
	return req
}

// ConnectRequest sends req with http.DefaultClient and reads the answer as
// a stream, as Connect does; a request other than GET may also be answered
// 201.
func ConnectRequest(t testing.TB, req *http.Request) *Conn {
	t.Helper()
	return connect(t, nil, req)
}

// connect sends req with client (http.DefaultClient when nil).
func connect(t testing.TB, client *http.Client, req *http.Request) *Conn {
	t.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/event-stream")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("ssetest: %s %s: %v", req.Method, req.URL, err)
	}
	check := resp
	if req.Method != http.MethodGet && resp.StatusCode == http.StatusCreated {
		// A POST stream answers 201, as Nest's POST routes do; only an
		// EventSource (GET) needs 200.
		r2 := *resp
		r2.StatusCode = http.StatusOK
		check = &r2
	}
	if err := Check(check); err != nil {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		t.Fatalf("%s %s: %v: body %q", req.Method, req.URL, err, body)
	}
	c := &Conn{Response: resp, t: t, events: make(chan Event), quit: make(chan struct{}), done: make(chan struct{})}
	go c.read(NewReader(resp.Body))
	t.Cleanup(c.Close)
	return c
}

// read hands the stream's events to the test until the stream ends.
func (c *Conn) read(r *Reader) {
	defer close(c.done)
	for {
		ev, err := r.Next()
		if err != nil {
			c.err = err
			close(c.events)
			return
		}
		select {
		case c.events <- ev:
		case <-c.quit:
			return
		}
	}
}

func (c *Conn) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Next returns the next event, failing the test if none comes within
// Timeout or if the stream ends.
func (c *Conn) Next() Event {
	c.t.Helper()
	return c.NextWithin(c.timeout())
}

// NextWithin returns the next event, failing the test if none comes within
// d or if the stream ends.
func (c *Conn) NextWithin(d time.Duration) Event {
	c.t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case ev, ok := <-c.events:
		if !ok {
			c.t.Fatalf("ssetest: the stream ended (%v), want an event", c.endReason())
		}
		c.lastID = ev.LastEventID
		return ev
	case <-timer.C:
		c.t.Fatalf("ssetest: no event within %v", d)
	}
	return Event{}
}

// LastEventID returns the last event id of the events read so far: what an
// EventSource would send as Last-Event-ID to resume after them.
func (c *Conn) LastEventID() string { return c.lastID }

// NextN returns the next n events, each within Timeout of the one before.
func (c *Conn) NextN(n int) []Event {
	c.t.Helper()
	out := make([]Event, n)
	for i := range out {
		out[i] = c.Next()
	}
	return out
}

// NextData returns the data of the next n events, for tests that check only
// that.
func (c *Conn) NextData(n int) []string {
	c.t.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = c.Next().Data
	}
	return out
}

// ExpectNone fails the test if an event comes within d. The end of the
// stream is not an event; ExpectEnd checks for it.
func (c *Conn) ExpectNone(d time.Duration) {
	c.t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case ev, ok := <-c.events:
		if ok {
			c.t.Fatalf("ssetest: unexpected event within %v: %+v", d, ev)
		}
		<-timer.C // ended: silence until d, as expected
	case <-timer.C:
	}
}

// ExpectEnd fails the test unless the stream ends cleanly (the response
// completes), with no further event, within Timeout.
func (c *Conn) ExpectEnd() {
	c.t.Helper()
	timer := time.NewTimer(c.timeout())
	defer timer.Stop()
	select {
	case ev, ok := <-c.events:
		if ok {
			c.t.Fatalf("ssetest: event %+v, want the end of the stream", ev)
		}
		if !errors.Is(c.err, io.EOF) {
			c.t.Fatalf("ssetest: the stream broke (%v), want a clean end", c.err)
		}
	case <-timer.C:
		c.t.Fatalf("ssetest: the stream did not end within %v", c.timeout())
	}
}

func (c *Conn) endReason() string {
	if errors.Is(c.err, io.EOF) {
		return "EOF"
	}
	return fmt.Sprint(c.err)
}

// Close ends the request and waits for the background reader. It is safe to
// call more than once; the test's end calls it.
func (c *Conn) Close() {
	c.once.Do(func() {
		close(c.quit)
		c.Response.Body.Close()
		<-c.done
	})
}

// setPairs adds name, value pairs to h.
func setPairs(t testing.TB, h http.Header, pairs []string) {
	t.Helper()
	if len(pairs)%2 != 0 {
		t.Fatalf("ssetest: header pairs %q: odd count", pairs)
	}
	for i := 0; i < len(pairs); i += 2 {
		h.Add(pairs[i], pairs[i+1])
	}
}
