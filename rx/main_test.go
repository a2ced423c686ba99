package rx_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test must leave no goroutine behind: timers, producers, the rxgo
// bridge and the terminals all clean up when a stream ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
