package rx_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/rx"
)

// Marble diagrams as RxJS's TestScheduler reads them (run mode), for the
// cases ported from RxJS's own specs: one character is one frame (here
// 10ms of fake time), '-' is a frame with nothing, a letter is a value, '|'
// completion, '#' an error, '(…)' notifications in one frame (the group
// takes its characters' frames, as in RxJS), '^' the subscription point of
// a hot source (frame 0), and spaces are ignored.

const frame = 10 * time.Millisecond

var errMarble = errors.New("error")

type marbleEvent struct {
	frame int
	token string // a value, "|" or "#"
}

// parseMarble returns the events of a marble diagram, with frames relative
// to '^' when there is one.
func parseMarble(m string) []marbleEvent {
	var events []marbleEvent
	f, group, origin := 0, -1, 0
	for _, c := range m {
		at := f
		if group >= 0 {
			at = group
		}
		switch c {
		case ' ':
			continue
		case '-':
		case '(':
			group = f
		case ')':
			group = -1
		case '^':
			origin = f
		case '|', '#':
			events = append(events, marbleEvent{at, string(c)})
		default:
			events = append(events, marbleEvent{at, string(c)})
		}
		f++
	}
	var out []marbleEvent
	for _, e := range events {
		if e.frame -= origin; e.frame >= 0 {
			out = append(out, e)
		}
	}
	return out
}

// marble returns a source that plays diagram m from its subscription: a
// cold Observable, or, for a hot diagram ("--a-^-b-|"), the part after '^'
// (one subscriber at the start sees exactly that).
func marble(m string) rx.Observable[string] {
	var evs []event[string]
	for _, e := range parseMarble(m) {
		when := time.Duration(e.frame) * frame
		switch e.token {
		case "|":
			evs = append(evs, endAt[string](when))
		case "#":
			evs = append(evs, failAt[string](when, errMarble))
		default:
			evs = append(evs, at(when, e.token))
		}
	}
	return timeline(evs...)
}

// marbleCase subscribes to what run builds at frame 0 and checks the
// notifications against the expected diagram, at their frames.
type marbleCase struct {
	name     string
	run      func() rx.Observable[string]
	expected string
	values   map[string]string // expected letters that stand for other values
}

func runMarbles(t *testing.T, cases []marbleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var got []marbleEvent
				now := func() int { return int(time.Since(start) / frame) }
				sub := c.run().Subscribe(t.Context(), rx.ObserverFuncs[string]{
					OnNext:     func(v string) { got = append(got, marbleEvent{now(), v}) },
					OnError:    func(err error) { got = append(got, marbleEvent{now(), "#"}) },
					OnComplete: func() { got = append(got, marbleEvent{now(), "|"}) },
				})
				time.Sleep(time.Hour)
				synctest.Wait()
				sub.Unsubscribe()
				want := parseMarble(c.expected)
				for i, e := range want {
					if v, ok := c.values[e.token]; ok {
						want[i].token = v
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("got  %s\nwant %s (%s)", showMarble(got), showMarble(want), c.expected)
				}
			})
		})
	}
}

func showMarble(es []marbleEvent) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s@%d ", e.token, e.frame)
	}
	return b.String()
}
