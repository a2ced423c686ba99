package sse

import (
	"log/slog"
	"time"
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
	DefaultQueueBytes   = 1 << 20
	DefaultWriteTimeout = 10 * time.Second
	DefaultRetryAfter   = 5 * time.Second
)

// Options tunes streams. A nil *Options, and every zero field, means the
// default. Options hold no state: copy them freely.
type Options struct {
	// Heartbeat is how long a connection may stay silent before a comment
	// line is written, so that proxies keep it open and a dead peer is found.
	// Zero means DefaultHeartbeat (15 s); negative turns heartbeats off.
	Heartbeat time.Duration
	// QueueSize is how many events may wait for a slow client before
	// SlowClient applies. Zero means DefaultQueueSize (1024).
	QueueSize int
	// QueueBytes is how many bytes of events may wait for a slow client
	// before SlowClient applies (one event larger than that still goes into
	// an empty queue). Zero means DefaultQueueBytes (1 MiB).
	QueueBytes int
	// SlowClient is the policy for a full queue. The zero value is
	// Disconnect.
	SlowClient SlowClientPolicy
	// WriteTimeout is how long a client may take no bytes at all while the
	// stream has some to write; it is then dropped. A client that reads
	// slowly but steadily is never cut. It replaces http.Server's
	// WriteTimeout for the stream. Zero means DefaultWriteTimeout (10 s);
	// negative means no deadline.
	WriteTimeout time.Duration
	// Retry, when positive, is sent as a "retry:" hint (the client's
	// reconnection delay, in milliseconds) right after the headers.
	Retry time.Duration
	// MaxStreams limits the streams open at once in the Streams account;
	// over the limit a request is answered 503 with a Retry-After header.
	// Zero means DefaultMaxStreams(): three quarters of the process's
	// open-file limit, so that the server never runs out of descriptors
	// for other requests; negative means no limit.
	MaxStreams int
	// MaxStreamsPerClient, when positive, limits the streams one client
	// address (the host of Request.RemoteAddr) may have open at once in the
	// Streams account (503 over it). Behind a proxy, set RemoteAddr from
	// the proxy's header in a middleware first.
	MaxStreamsPerClient int
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
	// cuts the memory an idle stream holds about threefold (see the package documentation).
	// Middleware then sees the request end when the stream starts. Set
	// Attached when middleware must wrap the whole stream.
	Attached bool
	// Streams is the account the streams join: it counts them for the
	// limits and ends them on shutdown. Nil means the Handler's own
	// account; Serve without one keeps no account (no limits, and a server
	// shutdown does not end the stream).
	Streams *Streams
}

// config is Options with the defaults applied.
type config struct {
	heartbeat    time.Duration // <= 0: off
	queueSize    int
	queueBytes   int
	slowClient   SlowClientPolicy
	writeTimeout time.Duration // <= 0: none
	retry        time.Duration
	maxStreams   int // 0: DefaultMaxStreams(), < 0: none
	perClient    int // <= 0: none
	retryAfter   time.Duration
	logger       *slog.Logger
	attached     bool
	streams      *Streams
}

func (o *Options) config() *config {
	c := &config{
		heartbeat:    DefaultHeartbeat,
		queueSize:    DefaultQueueSize,
		queueBytes:   DefaultQueueBytes,
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
	if o.QueueBytes > 0 {
		c.queueBytes = o.QueueBytes
	}
	c.slowClient = o.SlowClient
	if o.WriteTimeout != 0 {
		c.writeTimeout = o.WriteTimeout
	}
	c.retry = o.Retry
	if o.MaxStreams != 0 {
		c.maxStreams = o.MaxStreams
	}
	c.perClient = o.MaxStreamsPerClient
	if o.RetryAfter > 0 {
		c.retryAfter = o.RetryAfter
	}
	if o.Logger != nil {
		c.logger = o.Logger
	}
	c.attached = o.Attached
	c.streams = o.Streams
	return c
}

func (o *Options) logger() *slog.Logger {
	if o == nil || o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}
