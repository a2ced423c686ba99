package rxgobridge_test

import (
	"testing"

	"go.uber.org/goleak"
)

// rxgo runs a goroutine per stage: every test must leave none behind once
// the rx side has ended.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
