package eventstream

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// The WHATWG cases live in package ssetest's tests, which read through this
// parser; these cover what only the parser's own users see.

func readAll(p *Parser) ([]Event, error) {
	var out []Event
	for {
		ev, err := p.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

func TestCommentsOff(t *testing.T) {
	t.Parallel()
	p := NewParser(strings.NewReader(": hb\n\n: hb\ndata: x\n\n"), Config{})
	evs, err := readAll(p)
	if want := []Event{{Type: "message", Data: "x"}}; err != nil || !reflect.DeepEqual(evs, want) {
		t.Errorf("got %q %v, want %q", evs, err, want)
	}
}

func TestSetLastEventID(t *testing.T) {
	t.Parallel()
	p := NewParser(strings.NewReader("data: a\n\nid: 8\ndata: b\n\n"), Config{})
	p.SetLastEventID("7")
	evs, _ := readAll(p)
	if len(evs) != 2 || evs[0].LastEventID != "7" || evs[1].LastEventID != "8" {
		t.Errorf("got %q", evs)
	}
}

func TestMaxEventSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, stream string
		ok           int // events read before the error
	}{
		{"long line", "data: 1\n\n" + "data: " + strings.Repeat("x", 20) + "\n\n", 1},
		{"long event", "data: 1\n\n" + strings.Repeat("data: 0123456\n", 3) + "\n", 1},
		{"long line without end", "data: 1\n\n" + strings.Repeat("x", 100), 1},
	} {
		p := NewParser(strings.NewReader(tt.stream), Config{MaxEventSize: 16})
		evs, err := readAll(p)
		if len(evs) != tt.ok || !errors.Is(err, ErrTooLong) {
			t.Errorf("%s: %q %v", tt.name, evs, err)
		}
	}
}

func TestRetryOverflow(t *testing.T) {
	t.Parallel()
	p := NewParser(strings.NewReader("retry: 9223372036854775807\n\n"), Config{})
	readAll(p)
	if d, ok := p.Retry(); ok {
		t.Errorf("retry %v accepted", d)
	}
}

// FuzzParser checks that no byte stream panics the parser, and that how the
// bytes are cut into reads changes nothing.
func FuzzParser(f *testing.F) {
	for _, s := range []string{
		"", "data: a\n\n", "\uFEFFdata: x\r\n\r\n", "event: e\nid: 1\nretry: 5\n: c\ndata: d\n\n",
		"data\rdata\r\r", "id: a\x00b\n\n", "data: \xff\xfe\n\n", "retry: 99999999999999999999\n",
		":\n\n\n\r\n\r", "data:" + strings.Repeat("y", 300) + "\n\n",
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, comments bool) {
		cfg := Config{Comments: comments, MaxEventSize: 256}
		p1 := NewParser(strings.NewReader(string(b)), cfg)
		evs1, err1 := readAll(p1)
		p2 := NewParser(iotest.OneByteReader(strings.NewReader(string(b))), cfg)
		evs2, err2 := readAll(p2)
		if !reflect.DeepEqual(evs1, evs2) || (err1 == nil) != (err2 == nil) {
			t.Fatalf("whole %q %v, byte by byte %q %v", evs1, err1, evs2, err2)
		}
		if p1.LastEventID() != p2.LastEventID() {
			t.Fatalf("last event id %q vs %q", p1.LastEventID(), p2.LastEventID())
		}
		for _, ev := range evs1 {
			if ev.Type == "" || strings.ContainsAny(ev.Type+ev.LastEventID, "\r\n") || strings.ContainsRune(ev.LastEventID, 0) {
				t.Fatalf("bad event %q", ev)
			}
			if len(ev.Data) > 256 {
				t.Fatalf("data over the limit: %d bytes", len(ev.Data))
			}
		}
	})
}
