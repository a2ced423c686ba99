package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse/internal/eventstream"
)

// Defaults of Options.
const (
	DefaultRetry        = 3 * time.Second
	DefaultMaxRetry     = 30 * time.Second
	DefaultMaxEventSize = 1 << 20
)

// Event is one event as the server sent it, for consumers that need more
// than its data: Stream[Event] (or Events) delivers it undecoded.
type Event struct {
	// Type is the event's type, "message" when the server set none.
	Type string
	// ID is the last event id when the event was received: the one it
	// carried, or the last one before it.
	ID string
	// Data is the event's data lines joined by "\n".
	Data string
}

// Options configures a stream. A nil *Options, and every zero field, means
// the default.
type Options struct {
	// Client sends the requests. Nil means http.DefaultClient. Its Jar, if
	// any, provides and keeps cookies.
	Client *http.Client
	// Header is added to every request (Authorization, Cookie, …).
	Header http.Header
	// Method is the requests' method: GET by default. A stream served on
	// POST (controller.SSE(r, "POST /stream", …)) gets Body again at every
	// reconnection.
	Method string
	// Body, when not nil, is the body of every request, with Content-Type
	// application/json unless Header sets one.
	Body []byte
	// LastEventID is sent as Last-Event-ID on the first connection, to
	// resume a stream read earlier.
	LastEventID string
	// Types, when not empty, are the event types delivered; other events
	// are skipped ("error" events still end the stream).
	Types []string
	// Retry is the reconnection delay until the server sends a "retry:"
	// hint. Zero means DefaultRetry (3 s).
	Retry time.Duration
	// MaxRetry caps the delay between attempts as it doubles after each
	// failed one. Zero means DefaultMaxRetry (30 s).
	MaxRetry time.Duration
	// MaxAttempts, when positive, is how many attempts in a row may fail
	// (no connection, or a retried status) before the stream fails with the
	// last error. Zero means no limit, as EventSource.
	MaxAttempts int
	// MaxEventSize bounds a line and the data of one event, in bytes; a
	// bigger event fails the stream. Zero means DefaultMaxEventSize
	// (1 MiB); negative means no limit.
	MaxEventSize int
}

// StatusError is the error of a stream whose server answered with a status
// that ends it.
type StatusError struct {
	StatusCode int
	// Body is the start of the response body (at most 4 KiB).
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("client: server answered %d %s: %q", e.StatusCode, http.StatusText(e.StatusCode), e.Body)
}

// EventError is the error of a stream whose server sent an "error" event:
// the remote stream failed.
type EventError struct {
	// Message is the event's data.
	Message string
	// ID is the last event id when it came.
	ID string
}

func (e *EventError) Error() string { return "client: the server's stream failed: " + e.Message }

// ErrContentType is the error of a stream whose response is not a
// text/event-stream.
var ErrContentType = errors.New("client: response is not text/event-stream")

// Events returns the events of the stream at url, undecoded.
func Events(url string, opts *Options) rx.Observable[Event] {
	return Stream[Event](url, opts)
}

// Stream returns the stream at url, each event's data decoded into T: as is
// for string and []byte, the whole event for Event, and from JSON for
// anything else (json.RawMessage included). Each subscription connects, and
// reconnects, on its own until it ends; see the package documentation for
// when the stream completes or fails.
func Stream[T any](url string, opts *Options) rx.Observable[T] {
	if opts == nil {
		opts = &Options{}
	}
	cfg := *opts
	cfg.Header = opts.Header.Clone()
	cfg.Types = slices.Clone(opts.Types)
	cfg.Body = slices.Clone(opts.Body)
	if cfg.Method == "" {
		cfg.Method = http.MethodGet
	}
	decode := decoder[T]()
	return rx.Create(func(s rx.Subscriber[T]) func() {
		c := &conn[T]{url: url, opts: &cfg, decode: decode, s: s, lastEventID: cfg.LastEventID}
		go c.run(s.Context())
		return nil
	})
}

// conn is one subscription: its connections, one after the other.
type conn[T any] struct {
	url         string
	opts        *Options
	decode      func(Event) (T, error)
	s           rx.Subscriber[T]
	lastEventID string
	retry       time.Duration // the server's hint, 0 until one came
	failures    int           // failed attempts in a row
}

// run connects until the stream ends. It is the subscription's only
// goroutine, and the only one to call s.
func (c *conn[T]) run(ctx context.Context) {
	for {
		out, wait, err := c.once(ctx)
		if ctx.Err() != nil {
			return
		}
		switch out {
		case reconnect:
			wait = c.delay()
		case complete:
			c.s.Complete()
			return
		case fail:
			c.s.Error(err)
			return
		case failed:
			c.failures++
			if max := c.opts.MaxAttempts; max > 0 && c.failures >= max {
				c.s.Error(fmt.Errorf("client: %d attempts failed in a row: %w", c.failures, err))
				return
			}
			if wait < 0 {
				wait = c.backoff()
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// outcome is how a connection ended.
type outcome int

const (
	reconnect outcome = iota // the stream ended: reconnect after the reconnection time
	failed                   // the attempt failed: retry after the wait given, or the backoff if negative
	complete                 // the server said there is no more
	fail                     // the stream fails
)

// once makes one connection and reads it to its end.
func (c *conn[T]) once(ctx context.Context) (out outcome, wait time.Duration, err error) {
	var body io.Reader
	if c.opts.Body != nil {
		body = bytes.NewReader(c.opts.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.opts.Method, c.url, body)
	if err != nil {
		return fail, 0, fmt.Errorf("client: %w", err)
	}
	for k, v := range c.opts.Header {
		req.Header[k] = slices.Clone(v)
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	if c.lastEventID != "" {
		req.Header.Set("Last-Event-ID", c.lastEventID)
	}
	hc := c.opts.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return failed, -1, err
	}
	defer resp.Body.Close()
	if out, err := c.check(resp); err != nil || out != reconnect {
		return out, retryAfter(resp), err
	}
	c.failures = 0

	p := eventstream.NewParser(resp.Body, eventstream.Config{MaxEventSize: c.maxEventSize()})
	p.SetLastEventID(c.lastEventID)
	defer func() {
		c.lastEventID = p.LastEventID()
		if d, ok := p.Retry(); ok {
			c.retry = d
		}
	}()
	for {
		ev, err := p.Next()
		if err != nil {
			if errors.Is(err, eventstream.ErrTooLong) {
				return fail, 0, fmt.Errorf("client: %w", err)
			}
			return reconnect, 0, nil // the connection ended
		}
		if ev.Type == "error" {
			return fail, 0, &EventError{Message: ev.Data, ID: ev.LastEventID}
		}
		if len(c.opts.Types) > 0 && !slices.Contains(c.opts.Types, ev.Type) {
			continue
		}
		v, err := c.decode(Event{Type: ev.Type, ID: ev.LastEventID, Data: ev.Data})
		if err != nil {
			return fail, 0, fmt.Errorf("client: decoding event %q: %w", ev.LastEventID, err)
		}
		c.s.Next(v)
	}
}

// check sorts a response: a stream (reconnect, nil), the end, a transient
// failure, or a failure.
func (c *conn[T]) check(resp *http.Response) (outcome, error) {
	switch code := resp.StatusCode; {
	case code == http.StatusNoContent:
		return complete, nil
	case code >= 200 && code < 300:
		// 200, or another success: Nest answers a POST stream 201.
	case code == http.StatusTooManyRequests || code == http.StatusBadGateway ||
		code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		return failed, statusError(resp)
	default:
		return fail, statusError(resp)
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "text/event-stream" {
		return fail, fmt.Errorf("%w: Content-Type %q", ErrContentType, resp.Header.Get("Content-Type"))
	}
	return reconnect, nil
}

func statusError(resp *http.Response) *StatusError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &StatusError{StatusCode: resp.StatusCode, Body: string(body)}
}

// retryAfter is the delay a Retry-After header asks for, or -1 for the
// backoff.
func retryAfter(resp *http.Response) time.Duration {
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return -1
}

// delay is the wait before reconnecting after a stream ended: the
// reconnection time, with jitter.
func (c *conn[T]) delay() time.Duration { return jitter(c.base()) }

// backoff is the wait after the failures-th failed attempt in a row: the
// reconnection time doubled per failure, capped, with jitter.
func (c *conn[T]) backoff() time.Duration {
	d, max := c.base(), c.opts.MaxRetry
	if max <= 0 {
		max = DefaultMaxRetry
	}
	for i := 1; i < c.failures && d < max; i++ {
		d *= 2
	}
	return jitter(min(d, max))
}

func (c *conn[T]) base() time.Duration {
	switch {
	case c.retry > 0:
		return c.retry
	case c.opts.Retry > 0:
		return c.opts.Retry
	}
	return DefaultRetry
}

func (c *conn[T]) maxEventSize() int {
	switch n := c.opts.MaxEventSize; {
	case n < 0:
		return 0
	case n == 0:
		return DefaultMaxEventSize
	default:
		return n
	}
}

// jitter spreads d over [d/2, d], so that clients dropped together do not
// come back together, and none waits longer than asked.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// decoder returns how an event becomes a T.
func decoder[T any]() func(Event) (T, error) {
	var zero T
	switch any(zero).(type) {
	case string:
		return func(ev Event) (T, error) { return any(ev.Data).(T), nil }
	case []byte:
		return func(ev Event) (T, error) { return any([]byte(ev.Data)).(T), nil }
	case Event:
		return func(ev Event) (T, error) { return any(ev).(T), nil }
	}
	return func(ev Event) (T, error) {
		var v T
		err := json.Unmarshal([]byte(ev.Data), &v)
		return v, err
	}
}
