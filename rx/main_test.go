package rx_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test must leave no goroutine behind: timers, producers and the
// terminals all clean up when a stream ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
