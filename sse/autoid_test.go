package sse

import (
	"strconv"
	"testing"
)

func TestAppendAutoID(t *testing.T) {
	for _, id := range []uint64{1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 123456, 1<<64 - 1} {
		want := "id: " + strconv.FormatUint(id, 10) + "\n"
		if got := string(appendAutoID([]byte("x"), id)); got != "x"+want {
			t.Errorf("appendAutoID(%d) = %q, want %q", id, got, "x"+want)
		}
	}
}
