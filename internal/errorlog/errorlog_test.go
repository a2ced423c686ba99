package errorlog_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/internal/errorlog"
)

// recorder keeps what is logged, a line per record: level, message, attrs.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	line := rec.Level.String() + " " + rec.Message
	rec.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	r.mu.Lock()
	r.lines = append(r.lines, line)
	r.mu.Unlock()
	return nil
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.lines
	r.lines = nil
	return l
}

func TestFloodsAreCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{}
		l := errorlog.New(slog.New(rec), time.Minute)
		accept := func(i int) {
			l.Printf("http: Accept error: accept tcp 127.0.0.1:3000: accept4: too many open files; retrying in %dms", i)
		}

		// A flood, a line a second for 100 s: the first line at once, then
		// at the end of each minute the count of the others.
		const retry = "http: Accept error: accept tcp 127.0.0.1:3000: accept4: too many open files; retrying in "
		accept(0)
		time.Sleep(500 * time.Millisecond) // off the minute's edges
		for i := 1; i < 100; i++ {
			accept(i)
			time.Sleep(time.Second)
		}
		want := []string{
			"WARN " + retry + "0ms",
			"WARN http: Accept error: 60 more in the last 1m0s last=" + retry + "60ms",
		}
		if got := rec.take(); !slices.Equal(got, want) {
			t.Fatalf("during the flood:\n%q\nwant\n%q", got, want)
		}
		// Lines of other kinds are not held back by it.
		l.Printf("http: TLS handshake error from 10.0.0.1:5000: EOF")
		l.Printf("http: panic serving 10.0.0.1:5000: boom")
		l.Printf("http: panic serving 10.0.0.1:5000: boom")
		l.Printf("http: superfluous response.WriteHeader call")
		want = []string{
			"INFO http: TLS handshake error from 10.0.0.1:5000: EOF",
			"ERROR http: panic serving 10.0.0.1:5000: boom",
			"ERROR http: panic serving 10.0.0.1:5000: boom",
			"WARN http: superfluous response.WriteHeader call",
		}
		if got := rec.take(); !slices.Equal(got, want) {
			t.Fatalf("other kinds:\n%q\nwant\n%q", got, want)
		}

		// The flood stopped: the count of the second minute, then silence.
		time.Sleep(22 * time.Second)
		want = []string{"WARN http: Accept error: 39 more in the last 1m0s last=" + retry + "99ms"}
		if got := rec.take(); !slices.Equal(got, want) {
			t.Fatalf("after the flood:\n%q\nwant\n%q", got, want)
		}
		time.Sleep(time.Hour)
		if got := rec.take(); got != nil {
			t.Fatalf("after the flood: %q", got)
		}
		// A new flood is told at once.
		accept(1000)
		if got := rec.take(); len(got) != 1 || got[0] != "WARN "+retry+"1000ms" {
			t.Fatalf("a new flood: %q", got)
		}
		time.Sleep(time.Minute)
		if got := rec.take(); got != nil {
			t.Fatalf("a single line is not counted again: %q", got)
		}
	})
}
