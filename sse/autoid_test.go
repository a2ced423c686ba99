package sse

import (
	"strconv"
	"testing"
)

func TestAutoIDCounts(t *testing.T) {
	t.Parallel()
	var a autoID
	for want := uint64(1); want <= 100_123; want++ {
		if got := string(a.appendLine(nil)); got != "id: "+strconv.FormatUint(want, 10)+"\n" {
			t.Fatalf("id %d written as %q", want, got)
		}
		a.advance()
	}
	// Carry through every digit.
	b := autoID{n: 3}
	copy(b.d[17:], "999")
	b.advance()
	if got := string(b.appendLine(nil)); got != "id: 1000\n" {
		t.Errorf("999+1 = %q", got)
	}
}
