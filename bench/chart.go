package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
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
