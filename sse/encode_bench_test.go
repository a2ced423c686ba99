package sse

import (
	"strings"
	"testing"
)

type benchPayload struct {
	T   int64  `json:"t"`
	Seq int    `json:"seq"`
	Pad string `json:"pad"`
}

// BenchmarkEncoder measures encoding one event into a connection's buffer,
// as the stream does for each event it queues.
func BenchmarkEncoder(b *testing.B) {
	data64 := strings.Repeat("x", 64)
	enc, err := Encode(MessageEvent{Data: data64})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		ev   MessageEvent
	}{
		{"string64", MessageEvent{Data: data64}},
		{"string64-type-id", MessageEvent{Type: "tick", ID: new("1700000000000-0"), Data: data64}},
		{"multiline", MessageEvent{Data: "line one\nline two\r\nline three"}},
		{"json-struct", MessageEvent{Data: benchPayload{T: 1700000000000000000, Seq: 42, Pad: strings.Repeat("x", 24)}}},
		{"json-map", MessageEvent{Data: map[string]any{"t": 1700000000000000000, "seq": 42, "pad": strings.Repeat("x", 24)}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			next := uint64(1)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = appendEvent(buf[:0], &c.ev, &next); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(buf)))
		})
	}
	b.Run("encoded", func(b *testing.B) {
		buf := make([]byte, 0, 512)
		next := uint64(1)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = enc.appendTo(buf[:0], next)
			next++
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("Encode-once", func(b *testing.B) {
		ev := MessageEvent{Data: data64}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
