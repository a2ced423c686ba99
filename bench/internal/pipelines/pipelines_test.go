package pipelines

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Every version of every pipeline returns the pipeline's checksum, except
// where a note says why not.
func TestEveryVersionAgrees(t *testing.T) {
	for _, p := range All(0.01) {
		for _, impl := range Implementations {
			mk, ok := p.Passes[impl]
			if !ok {
				continue
			}
			t.Run(p.Name+"/"+impl, func(t *testing.T) {
				pass := mk()
				got := pass()
				if _, noted := p.Notes[impl]; noted && p.Name == "debounce" {
					if got == p.Want {
						t.Fatalf("rxgo debounce now emits the pending value: drop the note")
					}
					return
				}
				if got != p.Want {
					t.Fatalf("checksum %d, want %d", got, p.Want)
				}
				if again := pass(); again != p.Want {
					t.Fatalf("second pass: checksum %d, want %d", again, p.Want)
				}
			})
		}
	}
}
