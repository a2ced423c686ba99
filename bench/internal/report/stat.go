package report

import (
	"slices"
	"strconv"
)

// Stat is the median of repeated runs with the smallest and largest value.
type Stat struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"runs"`
}

// Summarize returns the median, min and max of v (the zero Stat when v is
// empty). With an even count the median is the mean of the middle two.
func Summarize(v []float64) Stat {
	if len(v) == 0 {
		return Stat{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[n-1], N: n}
}

func itoa(i int) string { return strconv.Itoa(i) }
