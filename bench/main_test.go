package main

import (
	"context"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain lets the test binary stand in for the bench binary when compare
// starts servers (serve:… targets run os.Executable() serve …) and idle
// starts worker processes (idle-worker).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		var err error
		switch os.Args[1] {
		case "serve":
			err = serveCmd(context.Background(), os.Args[2:])
		case "idle-worker":
			err = idleWorkerCmd(context.Background(), os.Args[2:])
		default:
			goleak.VerifyTestMain(m)
			return
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}
