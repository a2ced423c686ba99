package sse

import (
	"log/slog"
	"sync/atomic"
	"time"
	"unsafe"
)

// SlowClientPolicy says what a stream does when a client reads slower than
// events come and its queue is full.
type SlowClientPolicy int

const (
	// Disconnect ends the response: the client reconnects and resumes from
	// its Last-Event-ID. It is the default.
	Disconnect SlowClientPolicy = iota
	// DropOldest discards the oldest queued event to make room.
	DropOldest
	// DropNewest discards the event that does not fit.
	DropNewest
)

// String returns the policy's name.
func (p SlowClientPolicy) String() string {
	switch p {
	case Disconnect:
		return "Disconnect"
	case DropOldest:
		return "DropOldest"
	case DropNewest:
		return "DropNewest"
	}
	return "SlowClientPolicy(" + itoa(int64(p)) + ")"
}

// Defaults used for zero fields of Options.
const (
	DefaultHeartbeat    = 15 * time.Second
	DefaultQueueSize    = 1024
	DefaultWriteTimeout = 10 * time.Second
	DefaultRetryAfter   = 5 * time.Second
)

// Options tunes streams. A nil *Options, and every zero field, means the
// default. An Options also holds the count of the streams served with it
// (for MaxStreams), so share one *Options between the routes a limit
// covers, and do not copy it once in use.
type Options struct {
	// Heartbeat is how long a connection may stay silent before a comment
	// line is written, so that proxies keep it open and a dead peer is found.
	// Zero means DefaultHeartbeat (15 s); negative turns heartbeats off.
	Heartbeat time.Duration
	// QueueSize is how many events may wait for a slow client before
	// SlowClient applies. Zero means DefaultQueueSize (1024).
	QueueSize int
	// SlowClient is the policy for a full queue. The zero value is
	// Disconnect.
	SlowClient SlowClientPolicy
	// WriteTimeout bounds each write to the client; a peer that stopped
	// reading is dropped when it expires. It replaces http.Server's
	// WriteTimeout for the stream. Zero means DefaultWriteTimeout (10 s);
	// negative means no deadline.
	WriteTimeout time.Duration
	// Retry, when positive, is sent as a "retry:" hint (the client's
	// reconnection delay, in milliseconds) right after the headers.
	Retry time.Duration
	// MaxStreams, when positive, limits the streams open at once with these
	// Options; over the limit a request is answered 503 with a Retry-After
	// header.
	MaxStreams int
	// RetryAfter is the delay announced in Retry-After over MaxStreams.
	// Zero means DefaultRetryAfter (5 s).
	RetryAfter time.Duration
	// Logger receives failures clients only see as generic messages, and
	// slow-client drops. Nil means slog.Default().
	Logger *slog.Logger
	// Attached keeps each stream in its handler's goroutine until it ends.
	// By default a stream served by Handler (or by Serve with a request from
	// WithStreamContext) over HTTP/1.1 detaches once its headers are out: it
	// takes the connection over from net/http and ServeHTTP returns, which
	// cuts the memory an idle stream holds about fourfold. Middleware then
	// sees the request end when the stream starts, and the stream is no
	// longer one of the server's connections: http.Server.Shutdown ends it
	// but does not wait for it (Shutdown does), and http.Server.Close does
	// not end it. Set Attached when middleware must wrap the whole stream.
	Attached bool

	// open counts the streams open with these Options (*atomic.Int64, set
	// on first use; an unsafe.Pointer so that copying Options stays legal).
	open unsafe.Pointer
}

// config is Options with the defaults applied, copied once per stream.
type config struct {
	heartbeat    time.Duration // <= 0: off
	queueSize    int
	slowClient   SlowClientPolicy
	writeTimeout time.Duration // <= 0: none
	retry        time.Duration
	maxStreams   int
	retryAfter   time.Duration
	logger       *slog.Logger
	attached     bool
	open         *atomic.Int64 // nil without MaxStreams
}

func (o *Options) config() config {
	c := config{
		heartbeat:    DefaultHeartbeat,
		queueSize:    DefaultQueueSize,
		writeTimeout: DefaultWriteTimeout,
		retryAfter:   DefaultRetryAfter,
		logger:       slog.Default(),
	}
	if o == nil {
		return c
	}
	if o.Heartbeat != 0 {
		c.heartbeat = o.Heartbeat
	}
	if o.QueueSize > 0 {
		c.queueSize = o.QueueSize
	}
	c.slowClient = o.SlowClient
	if o.WriteTimeout != 0 {
		c.writeTimeout = o.WriteTimeout
	}
	c.retry = o.Retry
	if o.MaxStreams > 0 {
		c.maxStreams = o.MaxStreams
		c.open = o.openCount()
	}
	if o.RetryAfter > 0 {
		c.retryAfter = o.RetryAfter
	}
	if o.Logger != nil {
		c.logger = o.Logger
	}
	c.attached = o.Attached
	return c
}

// openCount returns the shared stream counter, creating it on first use.
func (o *Options) openCount() *atomic.Int64 {
	if p := atomic.LoadPointer(&o.open); p != nil {
		return (*atomic.Int64)(p)
	}
	n := new(atomic.Int64)
	if atomic.CompareAndSwapPointer(&o.open, nil, unsafe.Pointer(n)) {
		return n
	}
	return (*atomic.Int64)(atomic.LoadPointer(&o.open))
}

func (o *Options) logger() *slog.Logger {
	if o == nil || o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}
