package report

import (
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	if got, want := Summarize([]float64{3, 1, 2}), (Stat{Median: 2, Min: 1, Max: 3, N: 3}); got != want {
		t.Fatalf("odd: %+v, want %+v", got, want)
	}
	if got, want := Summarize([]float64{4, 1, 2, 3}), (Stat{Median: 2.5, Min: 1, Max: 4, N: 4}); got != want {
		t.Fatalf("even: %+v, want %+v", got, want)
	}
	if got := Summarize(nil); got != (Stat{}) {
		t.Fatalf("empty: %+v", got)
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		u    Unit
		want string
	}{
		{2_910_000, Rate, "2.91M/s"},
		{950, Rate, "950/s"},
		{float64(10400 * time.Microsecond), Duration, "10.4ms"},
		{float64(812 * time.Microsecond), Duration, "812µs"},
		{9318, Bytes, "9.10 KiB"},
		{0.625, Cores, "0.62"},
		{812.4, NsPerOp, "812 ns"},
		{1.234, NsPerOp, "1.23 ns"},
	}
	for _, tc := range tests {
		if got := Format(tc.v, tc.u); got != tc.want {
			t.Errorf("Format(%v, %v) = %q, want %q", tc.v, tc.u, got, tc.want)
		}
	}
	s := Stat{Median: 2e6, Min: 1.5e6, Max: 2.5e6, N: 3}
	if got, want := FormatStat(s, Rate), "2.00M/s (1.50M–2.50M)"; got != want {
		t.Errorf("FormatStat = %q, want %q", got, want)
	}
}

func TestTables(t *testing.T) {
	t.Parallel()
	tb := Table{Header: []string{"case", "a|b"}}
	tb.Add("x", "1")
	var text, md strings.Builder
	if err := tb.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := tb.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if got, want := text.String(), "case  a|b  \n----  ---  \nx     1    \n"; got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	if got, want := md.String(), "| case | a\\|b |\n| --- | ---: |\n| x | 1 |\n"; got != want {
		t.Errorf("markdown:\n%q\nwant\n%q", got, want)
	}
}
