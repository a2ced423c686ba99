package baseline

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bench/internal/contract/contracttest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestContract(t *testing.T) {
	contracttest.Run(t, New(nil))
}

// A full queue marks the connection to be closed; only the push that filled
// it reports the drop.
func TestQueueOverflowDropsOnce(t *testing.T) {
	c := &conn{wake: make(chan struct{}, 1)}
	frame := []byte("data: x\n\n")
	for i, want := range []bool{false, false, true, false} {
		if got := c.push(frame, 2); got != want {
			t.Fatalf("push %d: dropped = %v, want %v", i, got, want)
		}
	}
	batch, overflow := c.take(nil)
	if len(batch) != 2 || !overflow {
		t.Fatalf("take = %d frames, overflow %v; want 2, true", len(batch), overflow)
	}
}
