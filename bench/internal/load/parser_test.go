package load

import (
	"slices"
	"testing"
)

func TestParserSplitsAnywhere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"nest", "\nid: 1\ndata: {\"a\":1}\n\nid: 2\ndata: b\n\n", []string{`{"a":1}`, "b"}},
		{"crlf", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"a", "b"}},
		{"cr", "data: a\r\rdata: b\r\r", []string{"a", "b"}},
		{"multiline", "data: a\ndata:b\ndata: \n\n", []string{"a\nb\n"}},
		{"no space", "data:x\n\n", []string{"x"}},
		{"two spaces", "data:  x\n\n", []string{" x"}},
		{"comment and heartbeat", ": hi\n\n:\n\ndata: x\n\n", []string{"x"}},
		{"no data no event", "id: 3\nevent: e\n\n", nil},
		{"empty data", "data\n\ndata:\n\n", []string{"", ""}},
		{"unterminated", "data: a\n\ndata: b\n", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Every way of cutting the input in two must give the same events.
			for cut := 0; cut <= len(tt.in); cut++ {
				var got []string
				p := parser{onEvent: func(d []byte) { got = append(got, string(d)) }}
				p.feed([]byte(tt.in[:cut]))
				p.feed([]byte(tt.in[cut:]))
				if !slices.Equal(got, tt.want) {
					t.Fatalf("cut at %d: got %q, want %q", cut, got, tt.want)
				}
			}
			// And byte by byte.
			var got []string
			p := parser{onEvent: func(d []byte) { got = append(got, string(d)) }}
			for i := range len(tt.in) {
				p.feed([]byte{tt.in[i]})
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("byte by byte: got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParser(f *testing.F) {
	f.Add("data: a\r\n\r\ndata: b\n\n", 3)
	f.Add("data: x\rdata: y\r\r:c\n\n", 7)
	f.Fuzz(func(t *testing.T, in string, cut int) {
		if cut < 0 || cut > len(in) {
			cut = len(in) / 2
		}
		var whole, split []string
		p := parser{onEvent: func(d []byte) { whole = append(whole, string(d)) }}
		p.feed([]byte(in))
		q := parser{onEvent: func(d []byte) { split = append(split, string(d)) }}
		q.feed([]byte(in[:cut]))
		q.feed([]byte(in[cut:]))
		if !slices.Equal(whole, split) {
			t.Fatalf("whole %q != split %q", whole, split)
		}
	})
}
