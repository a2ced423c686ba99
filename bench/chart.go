package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

// chartCmd draws the chart of results saved by compare -save, so that a
// run's figures can be charted again (another format, another file)
// without measuring again.
func chartCmd(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	in := fs.String("in", "", "results saved by compare -save (JSON)")
	out := fs.String("out", "", "chart file to write (.svg or .png)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return fmt.Errorf("chart: give -in results.json and -out chart.svg|png")
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	var rep runReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("chart: %s: %w", *in, err)
	}
	if rep.Command != "compare" || len(rep.Targets) == 0 {
		return fmt.Errorf("chart: %s holds no compare results", *in)
	}
	return writeCompareChart(*out, &rep)
}

// showCmd prints results saved by compare -save or pipeline -save again, in
// any output format.
func showCmd(_ context.Context, args []string) error { return show(os.Stdout, args) }

func show(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	in := fs.String("in", "", "results saved by compare -save or pipeline -save (JSON)")
	format := fs.String("format", "text", "output: text, md (Markdown) or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := outputFormat(*format)
	if !f.valid() {
		return fmt.Errorf("show: -format %q: want text, md or json", *format)
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("show: %w", err)
	}
	var head struct {
		Command string `json:"command"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("show: %s: %w", *in, err)
	}
	switch head.Command {
	case "pipeline":
		var rep pipelineReport
		if err := json.Unmarshal(b, &rep); err != nil {
			return fmt.Errorf("show: %s: %w", *in, err)
		}
		return rep.write(w, f)
	case "compare", "fanout", "idle":
		var rep runReport
		if err := json.Unmarshal(b, &rep); err != nil {
			return fmt.Errorf("show: %s: %w", *in, err)
		}
		if len(rep.Targets) == 0 {
			return fmt.Errorf("show: %s has no targets", *in)
		}
		return rep.write(w, f)
	default:
		return fmt.Errorf("show: %s: not results of bench (command %q)", *in, head.Command)
	}
}
