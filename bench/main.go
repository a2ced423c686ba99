package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `bench measures rxsse and any server that speaks the benchmark contract.

Usage:
  go run ./bench <command> [flags]

Commands:
  serve      run the contract server built on rxsse (-baseline: the hand-written yardstick)
  fanout     open C streams, publish N events, measure delivery, latency and integrity
  idle       hold C streams open and measure the server's memory per connection
  compare    run the same fanout and idle cases on several targets, one table and a chart
  pipeline   operator pipelines side by side: rx, rxgo, plain channels, plain loop
  chart      draw the chart of results saved by compare -save
  show       print results saved by compare -save or pipeline -save (-format md for a README)

Run "go run ./bench <command> -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "serve":
		err = serveCmd(ctx, args)
	case "fanout":
		err = fanoutCmd(ctx, args)
	case "idle":
		err = idleCmd(ctx, args)
	case "compare":
		err = compareCmd(ctx, args)
	case "pipeline":
		err = pipelineCmd(ctx, args)
	case "chart":
		err = chartCmd(ctx, args)
	case "show":
		err = showCmd(ctx, args)
	case "idle-worker": // internal: started by idle past one process's file limit
		err = idleWorkerCmd(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "bench: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
