package sse

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The encoder writes events exactly as Nest does: fields in the order
// event, id, retry, comment, data; multi-line values split on CRLF, CR or
// LF; CR and LF removed from the type and id (and NUL from the id) so that a
// value can never inject a field.
//
// Encoding is split in two around the id line, because the automatic id is
// the only part that differs between the connections an event is broadcast
// to: head is the "event:" line, tail is everything after the id.

// appendEvent appends ev to dst as it goes on the wire. next is the
// connection's automatic id counter: it gives ev an id when ev has none and
// is not comment-only. On error (data that cannot be JSON-encoded) dst and
// next are left as they were.
func appendEvent(dst []byte, ev *MessageEvent, next *uint64) ([]byte, error) {
	start := len(dst)
	dst = appendHead(dst, ev)
	auto := false
	switch {
	case ev.ID != nil:
		dst = appendID(dst, *ev.ID)
	case !commentOnly(ev):
		dst = appendAutoID(dst, *next)
		auto = true
	}
	dst, err := appendTail(dst, ev)
	if err != nil {
		return dst[:start], err
	}
	if auto {
		*next++
	}
	return dst, nil
}

// commentOnly reports whether ev carries nothing but a comment; such an
// event is a keep-alive and takes no automatic id.
func commentOnly(ev *MessageEvent) bool {
	return ev.Comment != nil && ev.Data == nil && ev.Type == "" && ev.ID == nil && ev.Retry == nil
}

func appendHead(dst []byte, ev *MessageEvent) []byte {
	if ev.Type == "" {
		return dst
	}
	dst = append(dst, "event: "...)
	dst = appendStripped(dst, ev.Type, "\r\n")
	return append(dst, '\n')
}

func appendID(dst []byte, id string) []byte {
	dst = append(dst, "id: "...)
	dst = appendStripped(dst, id, "\r\n\x00")
	return append(dst, '\n')
}

// appendTail appends the retry, comment and data lines and the blank line
// that ends the event.
func appendTail(dst []byte, ev *MessageEvent) ([]byte, error) {
	if ev.Retry != nil {
		dst = appendRetry(append(dst, "retry: "...), *ev.Retry)
		dst = append(dst, '\n')
	}
	if ev.Comment != nil {
		dst = appendLines(dst, ": ", *ev.Comment)
	}
	switch d := ev.Data.(type) {
	case nil:
	case string:
		dst = appendLines(dst, "data: ", d)
	default:
		var err error
		if dst, err = appendJSONData(dst, d); err != nil {
			return dst, err
		}
	}
	return append(dst, '\n'), nil
}

// appendJSONData appends the "data:" line of a value encoded as JSON; JSON
// null writes nothing, as Nest writes no data line for null.
func appendJSONData(dst []byte, v any) ([]byte, error) {
	start := len(dst)
	dst = append(dst, "data: "...)
	at := len(dst)
	dst, err := appendJSON(dst, v)
	if err != nil {
		return dst[:start], err
	}
	if string(dst[at:]) == "null" {
		return dst[:start], nil
	}
	// Compact JSON holds no line break, but a value's own MarshalJSON is
	// only compacted, so split anyway: no value may inject a field.
	if bytes.IndexByte(dst[at:], '\n') >= 0 || bytes.IndexByte(dst[at:], '\r') >= 0 {
		s := string(dst[at:])
		dst = appendLines(dst[:start], "data: ", s)
		return dst, nil
	}
	return append(dst, '\n'), nil
}

// appendLines appends prefix+line+"\n" for each line of s, split on CRLF,
// CR or LF. A trailing line break yields a final empty line, as in Nest.
func appendLines(dst []byte, prefix, s string) []byte {
	for {
		dst = append(dst, prefix...)
		i := indexLineBreak(s)
		if i < 0 {
			dst = append(dst, s...)
			return append(dst, '\n')
		}
		dst = append(dst, s[:i]...)
		dst = append(dst, '\n')
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
}

// indexLineBreak returns the index of the first CR or LF in s, or -1.
func indexLineBreak(s string) int {
	n := strings.IndexByte(s, '\n')
	if n < 0 {
		return strings.IndexByte(s, '\r')
	}
	if r := strings.IndexByte(s[:n], '\r'); r >= 0 {
		return r
	}
	return n
}

// appendStripped appends s without the bytes in cut.
func appendStripped(dst []byte, s, cut string) []byte {
	if !strings.ContainsAny(s, cut) {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(cut, s[i]) < 0 {
			dst = append(dst, s[i])
		}
	}
	return dst
}

// jsonState is a reusable JSON encoder: encoding/json's Encoder is the only
// way to turn HTML escaping off.
type jsonState struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonPool = sync.Pool{New: func() any {
	s := new(jsonState)
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}}

// appendJSON appends v as compact JSON without HTML escaping, with U+2028 and
// U+2029 written as themselves, as JavaScript's JSON.stringify writes them.
func appendJSON(dst []byte, v any) ([]byte, error) {
	s := jsonPool.Get().(*jsonState)
	s.buf.Reset()
	err := s.enc.Encode(v)
	if err == nil {
		b := s.buf.Bytes()
		b = b[:len(b)-1] // Encode ends with a newline
		dst = appendUnescapedSeparators(dst, b)
	}
	if s.buf.Cap() <= 64<<10 {
		jsonPool.Put(s)
	}
	return dst, err
}

// marshalJSON returns v as appendJSON encodes it.
func marshalJSON(v any) ([]byte, error) { return appendJSON(nil, v) }

// appendUnescapedSeparators appends JSON text b, turning the escapes \u2028
// and \u2029 that encoding/json always writes back into the characters.
func appendUnescapedSeparators(dst, b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u202`)) {
		return append(dst, b...)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			dst = append(dst, c)
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) && b[i+2] == '2' && b[i+3] == '0' && b[i+4] == '2' &&
			(b[i+5] == '8' || b[i+5] == '9') {
			dst = append(dst, 0xE2, 0x80, 0xA8+(b[i+5]-'8'))
			i += 5
			continue
		}
		dst = append(dst, c, b[i+1]) // any other escape, kept whole
		i++
	}
	return dst
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// appendRetry appends a retry delay in whole milliseconds.
func appendRetry(dst []byte, d time.Duration) []byte {
	return strconv.AppendInt(dst, d.Milliseconds(), 10)
}
