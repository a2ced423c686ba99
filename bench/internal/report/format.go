package report

import (
	"fmt"
	"math"
	"time"
)

// Unit says how a metric's values read.
type Unit int

// The units of metrics.
const (
	Count    Unit = iota // a plain number
	Rate                 // per second
	Duration             // nanoseconds
	Bytes                // bytes
	Cores                // CPU seconds per second
	NsPerOp              // nanoseconds, fractional
	PerOp                // allocations per item, fractional
)

// Format writes v in unit u for a reader: 1.23M/s, 3.4ms, 9.1 KiB, 0.62.
func Format(v float64, u Unit) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch u {
	case Rate:
		return si(v) + "/s"
	case Duration:
		return FormatDuration(time.Duration(v))
	case Bytes:
		return FormatBytes(v)
	case Cores:
		return fmt.Sprintf("%.2f", v)
	case NsPerOp:
		switch {
		case v >= 100:
			return fmt.Sprintf("%.0f ns", v)
		case v >= 10:
			return fmt.Sprintf("%.1f ns", v)
		default:
			return fmt.Sprintf("%.2f ns", v)
		}
	case PerOp:
		return fmt.Sprintf("%.2f", v)
	default:
		return si(v)
	}
}

// si writes v with a k, M or G suffix and three significant digits.
func si(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return sig3(v/1e9) + "G"
	case a >= 1e6:
		return sig3(v/1e6) + "M"
	case a >= 1e3:
		return sig3(v/1e3) + "k"
	case a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	default:
		return sig3(v)
	}
}

func sig3(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// FormatDuration writes d with three significant digits: 812µs, 3.41ms, 1.20s.
func FormatDuration(d time.Duration) string {
	a := math.Abs(float64(d))
	switch {
	case a >= float64(time.Second):
		return sig3(float64(d)/1e9) + "s"
	case a >= float64(time.Millisecond):
		return sig3(float64(d)/1e6) + "ms"
	case a >= float64(time.Microsecond):
		return sig3(float64(d)/1e3) + "µs"
	default:
		return fmt.Sprintf("%dns", d)
	}
}

// FormatBytes writes b in B, KiB, MiB or GiB.
func FormatBytes(b float64) string {
	a := math.Abs(b)
	switch {
	case a >= 1<<30:
		return sig3(b/(1<<30)) + " GiB"
	case a >= 1<<20:
		return sig3(b/(1<<20)) + " MiB"
	case a >= 1<<10:
		return sig3(b/(1<<10)) + " KiB"
	default:
		return fmt.Sprintf("%.0f B", b)
	}
}

// FormatStat writes a median with its range when the runs differ:
// "1.23M/s (1.20M–1.25M)".
func FormatStat(s Stat, u Unit) string {
	if s.N == 0 {
		return "–"
	}
	med := Format(s.Median, u)
	if s.N == 1 || s.Min == s.Max {
		return med
	}
	return med + " (" + trimUnit(Format(s.Min, u), u) + "–" + trimUnit(Format(s.Max, u), u) + ")"
}

// trimUnit drops the "/s" of rates inside ranges, to keep cells short.
func trimUnit(s string, u Unit) string {
	if u == Rate && len(s) > 2 {
		return s[:len(s)-2]
	}
	return s
}
