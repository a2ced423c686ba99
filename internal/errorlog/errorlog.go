// Package errorlog makes the log an http.Server writes its own errors to
// (http.Server.ErrorLog) one that a flood cannot fill.
//
// net/http writes a line per event: an accept error at every retry while the
// process is out of file descriptors (EMFILE; net/http backs off from 5 ms
// to 1 s between retries), a TLS handshake error for every client that
// hangs up or speaks garbage. Such lines are written once: the first of a
// kind at once, then, while more keep coming, one line per interval with
// their count and the last of them.
package errorlog

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// A kind is a family of net/http's lines, known by their prefix.
type kind struct {
	prefix string
	level  slog.Level
	flood  bool // written once per interval
}

// kinds are net/http's lines worth telling apart, first match wins. Lines a
// client causes are client errors: nothing above INFO.
var kinds = []kind{
	{"http: Accept error", slog.LevelWarn, true},
	{"http: TLS handshake error", slog.LevelInfo, true},
	{"http2: server connection error", slog.LevelInfo, true},
	{"http2: server closing client connection", slog.LevelInfo, true},
	{"http2: server rejecting conn", slog.LevelInfo, true},
	{"http: panic serving", slog.LevelError, false},
	{"http2: panic serving", slog.LevelError, false},
}

// other is any other line: written as it comes.
var other = kind{level: slog.LevelWarn}

// New returns a logger for http.Server.ErrorLog that writes to l, with
// lines that come in floods written once per interval (see the package
// documentation). It starts no goroutine until such a line comes, and
// none outlives an interval without one.
func New(l *slog.Logger, interval time.Duration) *log.Logger {
	return log.New(&writer{l: l, interval: interval, open: map[string]*window{}}, "", 0)
}

type writer struct {
	l        *slog.Logger
	interval time.Duration

	mu   sync.Mutex
	open map[string]*window // by kind prefix, while lines of the kind keep coming
}

// A window is an interval in which a kind's lines are counted, not written.
type window struct {
	n    int    // lines held back
	last string // the last of them
}

func (w *writer) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	k := other
	for _, c := range kinds {
		if strings.HasPrefix(msg, c.prefix) {
			k = c
			break
		}
	}
	if !k.flood {
		w.l.Log(context.Background(), k.level, msg)
		return len(p), nil
	}
	w.mu.Lock()
	if win, ok := w.open[k.prefix]; ok {
		win.n++
		win.last = msg
		w.mu.Unlock()
		return len(p), nil
	}
	w.open[k.prefix] = &window{}
	w.mu.Unlock()
	w.l.Log(context.Background(), k.level, msg)
	time.AfterFunc(w.interval, func() { w.close(k) })
	return len(p), nil
}

// close ends a kind's window: it writes the count of the lines held back,
// and opens another window if there were some, since the flood may go on.
func (w *writer) close(k kind) {
	w.mu.Lock()
	win := w.open[k.prefix]
	if win.n == 0 {
		delete(w.open, k.prefix)
		w.mu.Unlock()
		return
	}
	n, last := win.n, win.last
	win.n, win.last = 0, ""
	w.mu.Unlock()
	w.l.Log(context.Background(), k.level, fmt.Sprintf("%s: %d more in the last %v", k.prefix, n, w.interval), "last", last)
	time.AfterFunc(w.interval, func() { w.close(k) })
}
