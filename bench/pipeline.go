package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/pipelines"
	"github.com/rxsse/rxsse/bench/internal/report"
	"github.com/rxsse/rxsse/bench/pipebench"
)

// pipelineRow is what one version of one pipeline measured over the runs.
type pipelineRow struct {
	Pipeline      string      `json:"pipeline"`
	Impl          string      `json:"impl"`
	Items         int         `json:"items_per_pass"`
	NsPerItem     report.Stat `json:"ns_per_item"`
	AllocsPerItem report.Stat `json:"allocs_per_item"`
	BytesPerItem  report.Stat `json:"bytes_per_item"`
	ItemsPerSec   report.Stat `json:"items_per_sec"`
	// Wrong is set when the version's result differs from the others'.
	Wrong string `json:"wrong,omitempty"`
	Note  string `json:"note,omitempty"`
}

type pipelineReport struct {
	Command    string         `json:"command"`
	Started    time.Time      `json:"started"`
	Machine    report.Machine `json:"machine"`
	Runs       int            `json:"runs"`
	Duration   string         `json:"duration_per_run"`
	Rows       []pipelineRow  `json:"rows"`
	LoadAvgEnd string         `json:"load_avg_end"`
	Note       string         `json:"note,omitempty"`
	// Descriptions of the pipelines, by name.
	Descs map[string]string `json:"pipelines"`
}

func pipelineCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	scale := fs.Float64("scale", 1, "multiply the items per pass (1,000,000; 200,000 for debounce)")
	dur := fs.Duration("duration", time.Second, "time spent measuring each version in each run")
	only := fs.String("only", "", "pipelines to run, comma-separated (default: all)")
	save := fs.String("save", "", "also write the results as JSON to this file")
	note := fs.String("note", "", "a line added to the run's description (the commit measured, …)")
	impls := fs.String("impl", strings.Join(pipelines.Implementations, ","), "versions to run, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := cf.output()
	if err != nil {
		return err
	}
	if *scale <= 0 || *scale > 100 {
		return fmt.Errorf("-scale %v: want 0 < scale <= 100", *scale)
	}
	wantImpl := strings.Split(*impls, ",")
	for _, i := range wantImpl {
		if !slices.Contains(pipelines.Implementations, i) {
			return fmt.Errorf("-impl %q: want some of %s", i, strings.Join(pipelines.Implementations, ","))
		}
	}
	var chosen []pipelines.Pipeline
	for _, p := range pipelines.All(*scale) {
		if *only == "" || slices.Contains(strings.Split(*only, ","), p.Name) {
			chosen = append(chosen, p)
		}
	}
	if len(chosen) == 0 {
		return fmt.Errorf("-only %q: no such pipeline", *only)
	}
	rep := runPipelines(ctx, chosen, wantImpl, cf.runs, *dur, newProgressLine(cf.quiet))
	rep.Note = *note
	if *save != "" {
		if err := saveJSON(*save, rep.write); err != nil {
			return err
		}
	}
	return rep.write(os.Stdout, f)
}

// runPipelines measures every chosen version, runs interleaved across
// versions so that a change in the machine's load touches all alike.
func runPipelines(ctx context.Context, ps []pipelines.Pipeline, impls []string, runs int, d time.Duration, pl *progressLine) *pipelineReport {
	rep := &pipelineReport{Command: "pipeline", Started: time.Now(), Machine: report.DescribeMachine(),
		Runs: runs, Duration: d.String(), Descs: map[string]string{}}
	for _, p := range ps {
		rep.Descs[p.Name] = p.Desc
		type acc struct {
			ns, allocs, bytes, rate []float64
			wrong                   string
		}
		accs := map[string]*acc{}
		var order []string
		for _, impl := range impls {
			if _, ok := p.Passes[impl]; ok {
				accs[impl] = &acc{}
				order = append(order, impl)
			}
		}
		for run := range runs {
			for _, impl := range order {
				if ctx.Err() != nil {
					break
				}
				pl.start(fmt.Sprintf("%s, %s, run %d/%d", p.Name, impl, run+1, runs))
				pl.text("measuring")
				pass := p.Passes[impl]()
				r, err := pipebench.Measure(ctx, p.Items, p.Want, pass, &pipebench.Options{Duration: d})
				pl.clear()
				a := accs[impl]
				if errors.Is(err, pipebench.ErrChecksum) {
					a.wrong = "result differs from the other versions (" + err.Error() + ")"
				}
				if r.Passes == 0 {
					continue
				}
				a.ns = append(a.ns, r.NsPerItem)
				a.allocs = append(a.allocs, r.AllocsPerItem)
				a.bytes = append(a.bytes, r.BytesPerItem)
				a.rate = append(a.rate, r.ItemsPerSec)
			}
		}
		for _, impl := range order {
			a := accs[impl]
			rep.Rows = append(rep.Rows, pipelineRow{
				Pipeline: p.Name, Impl: impl, Items: p.Items,
				NsPerItem: report.Summarize(a.ns), AllocsPerItem: report.Summarize(a.allocs),
				BytesPerItem: report.Summarize(a.bytes), ItemsPerSec: report.Summarize(a.rate),
				Wrong: a.wrong, Note: p.Notes[impl],
			})
		}
	}
	rep.LoadAvgEnd = report.LoadAvg()
	return rep
}

func (r *pipelineReport) write(w io.Writer, f outputFormat) error {
	if f == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	if f == "md" {
		fmt.Fprintf(&b, "`bench pipeline`, %s\n\n- Machine: %s; load average %s at the end.\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Machine, r.LoadAvgEnd)
		fmt.Fprintf(&b, "- %d runs of %s per version, interleaved: median, with min–max in parentheses; \"vs rx\" is the ratio of median ns/item.\n", r.Runs, r.Duration)
	} else {
		fmt.Fprintf(&b, "bench pipeline, %s\nmachine: %s; load average %s at the end\n", r.Started.Format(time.RFC3339), r.Machine, r.LoadAvgEnd)
		fmt.Fprintf(&b, "%d runs of %s per version, interleaved: median (min–max); \"vs rx\" is the ratio of median ns/item\n", r.Runs, r.Duration)
	}
	if r.Note != "" {
		if f == "md" {
			fmt.Fprintf(&b, "- %s\n", r.Note)
		} else {
			fmt.Fprintf(&b, "note: %s\n", r.Note)
		}
	}
	var names []string
	for _, row := range r.Rows {
		if !slices.Contains(names, row.Pipeline) {
			names = append(names, row.Pipeline)
		}
	}
	for _, n := range names {
		if f == "md" {
			fmt.Fprintf(&b, "- %s: %s\n", n, r.Descs[n])
		} else {
			fmt.Fprintf(&b, "pipeline %s: %s\n", n, r.Descs[n])
		}
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	t := &report.Table{Header: []string{"pipeline", "version", "ns/item", "allocs/item", "B/item", "items/s", "vs rx"}}
	rxNs := map[string]float64{}
	for _, row := range r.Rows {
		if row.Impl == pipelines.RX {
			rxNs[row.Pipeline] = row.NsPerItem.Median
		}
	}
	var notes []string
	prev := ""
	for _, row := range r.Rows {
		name := row.Pipeline
		if name == prev {
			name = ""
		}
		prev = row.Pipeline
		impl := row.Impl
		if row.Wrong != "" || row.Note != "" {
			notes = append(notes, fmt.Sprintf("[%d] %s, %s: %s", len(notes)+1, row.Pipeline, row.Impl, strings.Trim(row.Note+"; "+row.Wrong, "; ")))
			impl += fmt.Sprintf(" [%d]", len(notes))
		}
		ratio := "–"
		if base := rxNs[row.Pipeline]; base > 0 && row.NsPerItem.N > 0 {
			ratio = fmt.Sprintf("%.2f×", row.NsPerItem.Median/base)
		}
		t.Add(name, impl,
			report.FormatStat(row.NsPerItem, report.NsPerOp),
			report.FormatStat(row.AllocsPerItem, report.PerOp),
			report.FormatStat(row.BytesPerItem, report.PerOp),
			report.FormatStat(row.ItemsPerSec, report.Rate),
			ratio)
	}
	var err error
	if f == "md" {
		err = t.WriteMarkdown(w)
	} else {
		err = t.WriteText(w)
	}
	if err != nil {
		return err
	}
	if len(notes) > 0 {
		_, err = io.WriteString(w, "\n"+strings.Join(notes, "\n")+"\n")
	}
	return err
}
