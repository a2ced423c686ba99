package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/report"
)

// runReport is everything one command measured, as printed and as -json.
type runReport struct {
	Command    string              `json:"command"`
	Started    time.Time           `json:"started"`
	Machine    report.Machine      `json:"machine"`
	Runs       int                 `json:"runs"`
	Targets    []targetInfo        `json:"targets"`
	Conditions []string            `json:"conditions,omitempty"`
	Results    []report.CaseResult `json:"results"`
	Chart      string              `json:"chart,omitempty"`
	// LoadAvgEnd is the load average when the command finished.
	LoadAvgEnd string `json:"load_avg_end"`
}

type targetInfo struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	PIDs []int  `json:"pids,omitempty"`
	Note string `json:"note,omitempty"`
}

// outputFormat is the -format flag (and -json, its shorthand).
type outputFormat string

func (f outputFormat) valid() bool { return f == "text" || f == "md" || f == "json" }

func (r *runReport) write(w io.Writer, f outputFormat) error {
	if f == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	if f == "md" {
		fmt.Fprintf(&b, "`bench %s`, %s\n\n", r.Command, r.Started.UTC().Format("2006-01-02 15:04 MST"))
		fmt.Fprintf(&b, "- Machine: %s; load average %s at the end.\n", r.Machine, r.LoadAvgEnd)
		fmt.Fprintf(&b, "- %d runs per case: median, with min–max in parentheses; ratios are of medians, against %s.\n", r.Runs, r.Targets[0].Name)
		for _, t := range r.Targets {
			fmt.Fprintf(&b, "- %s: %s%s\n", t.Name, t.URL, noteOf(t))
		}
		for _, c := range r.Conditions {
			fmt.Fprintf(&b, "- %s\n", c)
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "bench %s, %s\n", r.Command, r.Started.Format(time.RFC3339))
		fmt.Fprintf(&b, "machine: %s; load average %s at the end\n", r.Machine, r.LoadAvgEnd)
		fmt.Fprintf(&b, "%d runs per case: median (min–max); ratios are of medians, against %s\n", r.Runs, r.Targets[0].Name)
		for _, t := range r.Targets {
			fmt.Fprintf(&b, "target %s: %s%s\n", t.Name, t.URL, noteOf(t))
		}
		for _, c := range r.Conditions {
			fmt.Fprintf(&b, "note: %s\n", c)
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	t := r.table()
	var err error
	if f == "md" {
		err = t.WriteMarkdown(w)
	} else {
		err = t.WriteText(w)
	}
	if err != nil {
		return err
	}
	b.Reset()
	for _, cr := range r.Results {
		for _, e := range cr.Errors {
			fmt.Fprintf(&b, "\nerror: %s, %s: %s", cr.Target, cr.Case, e)
		}
	}
	if r.Chart != "" {
		fmt.Fprintf(&b, "\nchart: %s", r.Chart)
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func noteOf(t targetInfo) string {
	var parts []string
	if len(t.PIDs) > 0 {
		parts = append(parts, "pid "+joinInts(t.PIDs, ","))
	}
	if t.Note != "" {
		parts = append(parts, t.Note)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// table lays the results out as rows of case × metric and a column per
// target, then a ratio column per target after the first.
func (r *runReport) table() *report.Table {
	t := &report.Table{Header: []string{"case", "metric"}}
	for _, tg := range r.Targets {
		t.Header = append(t.Header, tg.Name)
	}
	for _, tg := range r.Targets[1:] {
		t.Header = append(t.Header, tg.Name+"/"+r.Targets[0].Name)
	}
	// Cases in the order first seen; results by case and target.
	var cases []string
	byCase := map[string]map[string]report.CaseResult{}
	kind := map[string]string{}
	for _, cr := range r.Results {
		if byCase[cr.Case] == nil {
			cases = append(cases, cr.Case)
			byCase[cr.Case] = map[string]report.CaseResult{}
			kind[cr.Case] = cr.Kind
		}
		byCase[cr.Case][cr.Target] = cr
	}
	for _, c := range cases {
		first := true
		label := func() string {
			if first {
				first = false
				return c
			}
			return ""
		}
		for _, m := range metricsOf(kind[c]) {
			row := []string{label(), m.Label}
			any := false
			for _, tg := range r.Targets {
				s, ok := byCase[c][tg.Name].Values[m.Key]
				if ok {
					any = true
				}
				row = append(row, report.FormatStat(s, m.Unit))
			}
			if !any {
				continue
			}
			base, okBase := byCase[c][r.Targets[0].Name].Values[m.Key]
			for _, tg := range r.Targets[1:] {
				s, ok := byCase[c][tg.Name].Values[m.Key]
				if !ok || !okBase || base.Median == 0 {
					row = append(row, "–")
					continue
				}
				row = append(row, fmt.Sprintf("%.2f×", s.Median/base.Median))
			}
			t.Add(row...)
		}
		if kind[c] == "fanout" {
			row := []string{label(), "integrity"}
			for _, tg := range r.Targets {
				in := byCase[c][tg.Name].Integrity
				if in == "" {
					in = "–"
				}
				row = append(row, in)
			}
			for range r.Targets[1:] {
				row = append(row, "")
			}
			t.Add(row...)
		}
	}
	return t
}

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, sep)
}
