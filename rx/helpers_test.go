package rx_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/rx"
)

// tlog records what a test observes, in order: values, errors, completion,
// and marks from sources and side effects. In timed mode each line carries
// the fake time since the log was made ("3@2.5s").
type tlog struct {
	mu    sync.Mutex
	start time.Time
	timed bool
	lines []string
}

func newLog(timed bool) *tlog { return &tlog{start: time.Now(), timed: timed} }

func (l *tlog) add(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timed {
		s += "@" + time.Since(l.start).String()
	}
	l.lines = append(l.lines, s)
}

func (l *tlog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// recorder is an Observer that logs each notification and flags any breach
// of the Rx grammar: a call after the end, or two calls at once.
type recorder[T any] struct {
	l    *tlog
	busy atomic.Bool
	done atomic.Bool
}

func record[T any](l *tlog) *recorder[T] { return &recorder[T]{l: l} }

func (r *recorder[T]) enter(what string) bool {
	if !r.busy.CompareAndSwap(false, true) {
		r.l.add("VIOLATION: concurrent %s", what)
		return false
	}
	if r.done.Load() {
		r.l.add("VIOLATION: %s after end", what)
	}
	return true
}

func (r *recorder[T]) Next(v T) {
	if r.enter("next") {
		defer r.busy.Store(false)
	}
	r.l.add("%v", v)
}

func (r *recorder[T]) Error(err error) {
	if r.enter("error") {
		defer r.busy.Store(false)
	}
	r.done.Store(true)
	r.l.add("error: %v", err)
}

func (r *recorder[T]) Complete() {
	if r.enter("complete") {
		defer r.busy.Store(false)
	}
	r.done.Store(true)
	r.l.add("complete")
}

// subscribe subscribes a recorder writing to l.
func subscribe[T any](l *tlog, o rx.Observable[T]) rx.Subscription {
	return o.Subscribe(context.Background(), record[T](l))
}

// seqCase is one row of a table test: run subscribes and returns the
// subscription; after stopAt (when zero: a fake hour for timed cases, the
// moment every goroutine is idle for the others) the
// test unsubscribes, lets fake time run on for a while to catch any late
// notification, and compares the log with want.
type seqCase struct {
	name   string
	timed  bool
	stopAt time.Duration
	run    func(l *tlog) rx.Subscription
	want   []string
}

func runCases(t *testing.T, cases []seqCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// After the bubble: nothing the case started may be left.
			defer goleak.VerifyNone(t)
			synctest.Test(t, func(t *testing.T) {
				l := newLog(c.timed)
				sub := c.run(l)
				switch {
				case c.stopAt > 0:
					time.Sleep(c.stopAt)
				case c.timed:
					time.Sleep(time.Hour) // until the stream has run its course
				default:
					synctest.Wait()
				}
				sub.Unsubscribe()
				time.Sleep(time.Minute)
				synctest.Wait()
				got := l.get()
				if !slices.Equal(got, c.want) {
					t.Errorf("got  %s\nwant %s", strings.Join(got, " | "), strings.Join(c.want, " | "))
				}
			})
		})
	}
}

// event is a step of a timeline source: a value at a time, or the end.
type event[T any] struct {
	at   time.Duration
	v    T
	err  error
	done bool
}

func at[T any](d time.Duration, v T) event[T] { return event[T]{at: d, v: v} }
func endAt[T any](d time.Duration) event[T]   { return event[T]{at: d, done: true} }
func failAt[T any](d time.Duration, err error) event[T] {
	return event[T]{at: d, err: err, done: true}
}

// timeline emits events at their times from the subscription, from a
// goroutine that stops when the subscription ends.
func timeline[T any](events ...event[T]) rx.Observable[T] {
	return rx.Create(func(s rx.Subscriber[T]) func() {
		start := time.Now()
		go func() {
			for _, e := range events {
				select {
				case <-time.After(time.Until(start.Add(e.at))):
				case <-s.Context().Done():
					return
				}
				switch {
				case e.err != nil:
					s.Error(e.err)
					return
				case e.done:
					s.Complete()
					return
				default:
					s.Next(e.v)
				}
			}
		}()
		return nil
	})
}

// tracked marks "teardown" in l when a subscription to o ends.
func tracked[T any](l *tlog, o rx.Observable[T]) rx.Observable[T] {
	return rx.Finalize(o, func() { l.add("teardown") })
}

const (
	ms  = time.Millisecond
	sec = time.Second
)
