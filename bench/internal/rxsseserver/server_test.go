package rxsseserver

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bench/internal/contract/contracttest"
	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/sse"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestContract(t *testing.T) {
	for name, opts := range map[string]*Options{
		"encoded once":           nil,
		"encoded per connection": {EncodePerConnection: true},
		"attached streams":       {Stream: &sse.Options{Attached: true}},
	} {
		t.Run(name, func(t *testing.T) {
			s := New(opts)
			defer s.Close()
			contracttest.Run(t, s)
		})
	}
}

// The broadcast path encodes a message once: every subscriber after the
// first gets the same *Encoded.
func TestEncodeSharedReusesTheLatestEncoding(t *testing.T) {
	s := New(nil)
	defer s.Close()
	a := bus.Message{ID: "1-1", Data: []byte(`{"x":1}`)}
	b := bus.Message{ID: "1-2", Data: []byte(`{"x":2}`)}
	ea := s.encodeShared(a)
	if s.encodeShared(a) != ea {
		t.Fatal("same message encoded twice")
	}
	eb := s.encodeShared(b)
	if eb == ea {
		t.Fatal("a new message got the old encoding")
	}
	if got, want := eb.String(), "id: 1-2\ndata: {\"x\":2}\n\n"; got != want {
		t.Fatalf("encoding = %q, want %q", got, want)
	}
}
