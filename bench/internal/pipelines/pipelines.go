// Package pipelines holds the named pipelines of `bench pipeline`, each
// written the idiomatic way in rx, in rxgo, with plain channels (a goroutine
// per stage) and as a plain loop, so that their cost per item can be put
// side by side. Every version of a pipeline returns the same checksum.
package pipelines

// The implementations, in table order.
const (
	RX       = "rx"
	RXGo     = "rxgo"
	Bridge   = "rx + rxgo stage"
	Channels = "channels"
	Loop     = "loop"
)

// Implementations lists the implementation names in table order.
var Implementations = []string{RX, RXGo, Bridge, Channels, Loop}

// Pipeline is one named pipeline with its versions.
type Pipeline struct {
	Name  string
	Desc  string
	Items int   // items one pass pushes through
	Want  int64 // the checksum of a correct pass
	// Passes maps an implementation name to a constructor of its pass; a
	// missing name has no version of this pipeline.
	Passes map[string]func() func() int64
	// Notes explain a version's known difference from the others.
	Notes map[string]string
}

// Sizes of the pipelines, scaled by the caller's factor.
const (
	defaultItems    = 1_000_000
	debounceItems   = 200_000
	mergeSources    = 8
	debounceTimeout = 1 // milliseconds
)

// All returns the pipelines, with item counts multiplied by scale (1 is
// the default size; a smaller scale makes quick runs and tests).
func All(scale float64) []Pipeline {
	n := max(mergeSources, int(defaultItems*scale))
	nd := max(1, int(debounceItems*scale))
	return []Pipeline{
		mapFilterMap(n),
		merge(n, mergeSources),
		scan(n),
		debounce(nd),
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

var (
	triple = func(v int) int { return v * 3 }
	even   = func(v int) bool { return v%2 == 0 }
	inc    = func(v int) int { return v + 1 }
)
