package op_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/rxsse/rxsse/rx/op/internal/opgen"
)

// op.go is generated from package rx; this fails when an operator was added
// to rx, or changed, without running go generate in rx/op.
func TestGenerated(t *testing.T) {
	want, err := opgen.Generate("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("op.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("op.go is stale: run go generate ./rx/op")
	}
}
