package rx_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/rx"
)

// Cases ported from RxJS's own marble specs (spec/operators/*-spec.ts); the
// diagrams are RxJS's, unchanged. Values the spec maps through a table
// (A: 'a1', …) are written out by the pipeline itself.

func concatStrings(a, b string) string { return a + b }

func TestMarbleCombineLatest(t *testing.T) {
	// combineLatestWith-spec.ts
	cl := func(e1, e2 string) func() rx.Observable[string] {
		return func() rx.Observable[string] {
			return rx.CombineLatest2(marble(e1), marble(e2), concatStrings)
		}
	}
	cases := []marbleCase{
		{name: "two cold observables", run: cl(" -a--b-----c-d-e-|", " --1--2-3-4---|   "),
			expected: "--A-BC-D-EF-G-H-|"},
		{name: "never and empty", run: cl(" -", " |"), expected: "-"},
		{name: "empty and empty", run: cl(" |", " |"), expected: "|"},
		{name: "hot and hot", run: cl("--a--^--b--c--|", "---e-^---f--g--|"), expected: "   ----x-yz--|"},
		{name: "empty and error", run: cl("  ----------|", "  ------#"), expected: "------#"},
		{name: "error and empty", run: cl("--^---#", "--^--------|"), expected: "----#"},
		{name: "throw after complete left", run: cl(" --a--^--b---|", "-----^--------#"), expected: "      ---------#"},
		{name: "interleaved with tail", run: cl("-a--^--b---c---|", "--d-^----e---f--|"), expected: "  -----x-y-z--|"},
	}
	// The spec's value tables, as produced by the pipeline.
	tables := map[string]map[string]string{
		"two cold observables":  {"A": "a1", "B": "b1", "C": "b2", "D": "b3", "E": "b4", "F": "c4", "G": "d4", "H": "e4"},
		"hot and hot":           {"x": "bf", "y": "cf", "z": "cg"},
		"interleaved with tail": {"x": "be", "y": "ce", "z": "cf"},
	}
	for i := range cases {
		cases[i].values = tables[cases[i].name]
	}
	runMarbles(t, cases)
}

func TestMarbleWithLatestFrom(t *testing.T) {
	// withLatestFrom-spec.ts
	wlf := func(e1, e2 string) func() rx.Observable[string] {
		return func() rx.Observable[string] { return rx.WithLatestFrom(marble(e1), marble(e2), concatStrings) }
	}
	runMarbles(t, []marbleCase{
		{name: "cold observables", run: wlf("-a--b-----c-d-e-|", "--1--2-3-4---|   "),
			expected: "----B-----C-D-E-|", values: map[string]string{"B": "b1", "C": "c4", "D": "d4", "E": "e4"}},
		{name: "empty", run: wlf("|", "--e--^-f---g---h----|"), expected: "|"},
		{name: "throw", run: wlf("#", "--e--^-f---g---h----|"), expected: "#"},
		{name: "error", run: wlf("--a--^---b---#", "--e--^-f---g---h----|"),
			expected: "----x---#", values: map[string]string{"x": "bf"}},
		{name: "merging with empty", run: wlf("--a--^---b---c---d-|   ", "|"), expected: "--------------|   "},
		{name: "merging with never", run: wlf("--a--^---b---c---d-|   ", "-"), expected: "--------------|   "},
	})
}

// lookup returns the cold Observable named by a value of the outer source.
func lookup(m map[string]string) func(string) rx.Observable[string] {
	return func(v string) rx.Observable[string] { return marble(m[v]) }
}

func TestMarbleExhaustMap(t *testing.T) {
	// exhaustMap-spec.ts
	em := func(e1 string, inner map[string]string) func() rx.Observable[string] {
		return func() rx.Observable[string] { return rx.ExhaustMap(marble(e1), lookup(inner)) }
	}
	runMarbles(t, []marbleCase{
		{name: "outer throw", run: em("#", nil), expected: "#"},
		{name: "outer empty", run: em("|", nil), expected: "|"},
		{name: "switch with a selector function", run: em("---x---------y-----------------z-------------|", map[string]string{
			"x": "--a--b--c--|", "y": "--d--e--f--|", "z": "--g--h--i--|"}),
			expected: "-----a--b--c---------------------g--h--i-----|"},
		{name: "inner never completes", run: em("---x---------y-----------------z---------|   ", map[string]string{
			"x": "--a--b--c--|", "y": "--d--e--f--|", "z": "--g--h--i-----"}),
			expected: "-----a--b--c---------------------g--h--i-----"},
		{name: "synchronous switch stays on the first", run: em("---------(xy)----------------|", map[string]string{
			"x": "--a--b--c--d--e--|   ", "y": "---f---g---h---i--|  "}),
			expected: "-----------a--b--c--d--e-----|"},
		{name: "one inner throws", run: em("---------x---------y---------|       ", map[string]string{
			"x": "--a--b--c--d--#             ", "y": "---f---g---h---i--"}),
			expected: "-----------a--b--c--d--#             "},
		{name: "inner empty and empty", run: em("---------x---------y---------|", map[string]string{"x": "|", "y": "|"}),
			expected: "-----------------------------|"},
		{name: "inner empty and throw", run: em("---------x---------y---------|", map[string]string{"x": "|", "y": "#"}),
			expected: "-------------------#          "},
		{name: "outer error", run: em("---------x---------#       ", map[string]string{"x": "--a--b--c--d--e--|"}),
			expected: "-----------a--b--c-#       "},
	})
}

func TestMarbleSwitchMap(t *testing.T) {
	// switchMap-spec.ts
	sm := func(e1 string, inner map[string]string) func() rx.Observable[string] {
		return func() rx.Observable[string] { return rx.SwitchMap(marble(e1), lookup(inner)) }
	}
	xy := map[string]string{"x": "--a--b--c--d--e--|           ", "y": "---f---g---h---i--|"}
	runMarbles(t, []marbleCase{
		{name: "inner cold observables", run: sm("---------x---------y---------|        ", xy),
			expected: "-----------a--b--c----f---g---h---i--|"},
		{name: "inner never completes", run: sm("---------x---------y---------|       ", map[string]string{
			"x": "--a--b--c--d--e--|          ", "y": "---f---g---h---i--"}),
			expected: "-----------a--b--c----f---g---h---i--"},
		{name: "synchronous switch to the second", run: sm("---------(xy)----------------|", map[string]string{
			"x": "--a--b--c--d--e--|   ", "y": "---f---g---h---i--|  "}),
			expected: "------------f---g---h---i----|"},
		{name: "one inner throws", run: sm("---------x---------y---------|       ", map[string]string{
			"x": "--a--b--#--d--e--|          ", "y": "---f---g---h---i--"}),
			expected: "-----------a--b--#                   "},
		{name: "inner never and empty", run: sm("---------x---------y---------|", map[string]string{"x": "-", "y": "|"}),
			expected: "-----------------------------|"},
		{name: "inner never and throw", run: sm("---------x---------y---------|", map[string]string{"x": "-", "y": "#"}),
			expected: "-------------------#          "},
		{name: "outer error", run: sm("---------x---------#       ", map[string]string{"x": "--a--b--c--d--e--|"}),
			expected: "-----------a--b--c-#       "},
	})
}

// shareReplay-spec.ts: "should not restart due to unsubscriptions if
// refCount is false" and "should restart due to unsubscriptions if refCount
// is true": source cold('a-b-c-d-e-f-g-h-i-j'), a first subscriber from
// frame 0 to 7, a second from frame 11.
func TestMarbleShareReplayRefCount(t *testing.T) {
	for _, c := range []struct {
		refCount             bool
		expected1, expected2 string
	}{
		{false, "a-b-c-d-", "-----------fg-h-i-j"},
		{true, "a-b-c-d-", "-----------a-b-c-d-e-f-g-h-i-j"},
	} {
		t.Run(map[bool]string{false: "refCount false", true: "refCount true"}[c.refCount], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				shared := rx.ShareReplay(marble("a-b-c-d-e-f-g-h-i-j"), rx.ShareReplayConfig{BufferSize: 1, RefCount: c.refCount})
				start := time.Now()
				var got1, got2 []marbleEvent
				observe := func(got *[]marbleEvent) rx.Observer[string] {
					return rx.ObserverFuncs[string]{OnNext: func(v string) {
						*got = append(*got, marbleEvent{int(time.Since(start) / frame), v})
					}}
				}
				sub1 := shared.Subscribe(t.Context(), observe(&got1))
				time.Sleep(7*frame + frame/2)
				sub1.Unsubscribe()
				time.Sleep(11*frame - time.Since(start))
				sub2 := shared.Subscribe(t.Context(), observe(&got2))
				time.Sleep(time.Hour)
				sub2.Unsubscribe()
				if want := parseMarble(c.expected1); !slices.Equal(got1, want) {
					t.Errorf("first: got %s, want %s", showMarble(got1), showMarble(want))
				}
				if want := parseMarble(c.expected2); !slices.Equal(got2, want) {
					t.Errorf("second: got %s, want %s", showMarble(got2), showMarble(want))
				}
			})
		})
	}
}

// groupBy with a group unsubscribed, as RxJS's groupBy does it: the group
// stays in the map, so later values of its key are dropped (no new group is
// emitted for it), while the other groups go on. The source diagram is
// groupBy-spec.ts's "should group values" ('--1---2---3---4---5---|' by
// parity), with the odd group taking one value only.
func TestMarbleGroupByGroupUnsubscribed(t *testing.T) {
	runMarbles(t, []marbleCase{{
		name: "odd group takes one",
		run: func() rx.Observable[string] {
			src := rx.Map(marble("--1---2---3---4---5---|"), func(s string) int { return int(s[0] - '0') })
			return rx.MergeMap(rx.GroupBy(src, isOdd), func(g rx.Grouped[bool, int]) rx.Observable[string] {
				vals := g.Observable
				if g.Key {
					vals = rx.Take(vals, 1)
				}
				return rx.Map(vals, itoa)
			})
		},
		expected: "--1---2-------4-------|",
	}})
}

// The helper reads diagrams as RxJS's TestScheduler does.
func TestMarbleHelper(t *testing.T) {
	got := parseMarble(" --a-(bc)-|")
	want := []marbleEvent{{2, "a"}, {4, "b"}, {4, "c"}, {9, "|"}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v", got)
	}
	if got := parseMarble("--x-^-y-|"); !slices.Equal(got, []marbleEvent{{2, "y"}, {4, "|"}}) {
		t.Fatalf("hot: got %v", got)
	}
}
