package rxsseserver

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bench/internal/contract/contracttest"
	"github.com/rxsse/rxsse/sse"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestContract(t *testing.T) {
	for name, opts := range map[string]*Options{
		"encoded once":     nil,
		"attached streams": {Stream: &sse.Options{Attached: true}},
	} {
		t.Run(name, func(t *testing.T) {
			s := New(opts)
			defer s.Close()
			contracttest.Run(t, s)
		})
	}
}
