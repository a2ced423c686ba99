// Package contract holds what every server measured by bench agrees on: the
// routes, the event payload, and the JSON answers (DESIGN.md, "The benchmark
// contract"). The servers and the load client both use it, so they cannot
// drift apart.
package contract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// The routes of the contract.
const (
	PathFanout      = "/sse/bench/fanout"      // GET: every event published after subscribing
	PathPublish     = "/sse/bench/publish"     // POST ?n=N&size=S: publish N events
	PathSubscribers = "/sse/bench/subscribers" // GET: {"subscribers":K}
	PathForever     = "/sse/bench/forever"     // GET: a small event every second, forever
	PathBurst       = "/sse/bench/burst"       // GET ?n=N&size=S: N events at once, then complete
	// PathStats is an extension served by this project's servers only:
	// {"pid":…,"rss_bytes":…,"cpu_ns":…,"goroutines":…}. Other servers may
	// lack it; the client then reads /proc/PID when given -pid.
	PathStats = "/sse/bench/stats"
)

// Limits on what one request may ask for, so a mistyped URL cannot exhaust
// the server.
const (
	MaxEvents = 10_000_000
	MaxSize   = 1 << 20
)

// ErrBadCount is returned by ParseCounts for a missing or out-of-range n or
// size.
var ErrBadCount = errors.New("contract: bad n or size")

// ParseCounts reads the n and size query parameters of a publish or burst
// request. size defaults to 0.
func ParseCounts(r *http.Request) (n, size int, err error) {
	q := r.URL.Query()
	n, err = strconv.Atoi(q.Get("n"))
	if err != nil || n < 0 || n > MaxEvents {
		return 0, 0, fmt.Errorf("%w: n=%q (0..%d)", ErrBadCount, q.Get("n"), MaxEvents)
	}
	if s := q.Get("size"); s != "" {
		size, err = strconv.Atoi(s)
		if err != nil || size < 0 || size > MaxSize {
			return 0, 0, fmt.Errorf("%w: size=%q (0..%d)", ErrBadCount, s, MaxSize)
		}
	}
	return n, size, nil
}

// AppendPayload appends the data of one event,
// {"t":<t>,"seq":<seq>,"pad":"<size bytes>"}, to dst.
func AppendPayload(dst []byte, t int64, seq, size int) []byte {
	dst = append(dst, `{"t":`...)
	dst = strconv.AppendInt(dst, t, 10)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendInt(dst, int64(seq), 10)
	dst = append(dst, `,"pad":"`...)
	for range size {
		dst = append(dst, 'x')
	}
	return append(dst, `"}`...)
}

// AppendTick appends the data of one event of the forever route,
// {"t":<t>,"seq":<seq>}, to dst.
func AppendTick(dst []byte, t int64, seq int) []byte {
	dst = append(dst, `{"t":`...)
	dst = strconv.AppendInt(dst, t, 10)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendInt(dst, int64(seq), 10)
	return append(dst, '}')
}

// ParsePayload reads t and seq from an event's data without a JSON decoder:
// the client parses every event of every connection, and a decoder would
// make it the bottleneck. It accepts any key order and spaces after colons.
func ParsePayload(data []byte) (t int64, seq int, ok bool) {
	t, okT := intField(data, `"t":`)
	s, okS := intField(data, `"seq":`)
	return t, int(s), okT && okS
}

// intField finds key (with its colon) and parses the integer after it.
func intField(data []byte, key string) (int64, bool) {
	i := index(data, key)
	if i < 0 {
		return 0, false
	}
	i += len(key)
	for i < len(data) && data[i] == ' ' {
		i++
	}
	neg := false
	if i < len(data) && data[i] == '-' {
		neg = true
		i++
	}
	start := i
	var v int64
	for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
		v = v*10 + int64(data[i]-'0')
	}
	if i == start || i-start > 19 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func index(data []byte, key string) int {
	return bytes.Index(data, []byte(key))
}

// Published is the answer to a publish request.
type Published struct {
	Published int `json:"published"`
}

// Subscribers is the answer to a subscribers request.
type Subscribers struct {
	Subscribers int `json:"subscribers"`
}

// Stats is the answer of PathStats: what the server process uses.
type Stats struct {
	PID        int   `json:"pid"`
	RSSBytes   int64 `json:"rss_bytes"`
	CPUNanos   int64 `json:"cpu_ns"`
	Goroutines int   `json:"goroutines"`
	// Go runtime memory, to explain RSS: live heap objects, goroutine
	// stacks, and heap memory held but free (GC headroom, not yet
	// returned to the OS).
	HeapLiveBytes int64 `json:"heap_live_bytes,omitempty"`
	StackBytes    int64 `json:"stack_bytes,omitempty"`
	HeapFreeBytes int64 `json:"heap_free_bytes,omitempty"`
}

// SetSSEHeaders sets the headers Nest sends on an event stream (NEST-SSE.md).
func SetSSEHeaders(h http.Header) {
	h.Set("Content-Type", "text/event-stream")
	h.Set("Connection", "keep-alive")
	h.Set("Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0, no-transform")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "0")
	h.Set("X-Accel-Buffering", "no")
}
