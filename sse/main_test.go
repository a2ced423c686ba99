package sse_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if kind := os.Getenv(idleServerEnv); kind != "" {
		runIdleServer(kind) // the child of BenchmarkIdleConnections
		return
	}
	goleak.VerifyTestMain(m)
}
