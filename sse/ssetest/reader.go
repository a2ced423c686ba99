package ssetest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// Event is an event as EventSource dispatches it to a listener.
type Event struct {
	// Type is the event type: the last "event" field of the block, or
	// "message" when there was none.
	Type string
	// Data is the data fields of the block joined by "\n".
	Data string
	// LastEventID is the source's last event ID string when the event was
	// dispatched: the last "id" field seen so far in the stream.
	LastEventID string
	// Comments are the comment lines (without the colon, and with one
	// leading space removed) read since the previous event, in order.
	Comments []string
}

// Reader reads events from a text/event-stream body following the WHATWG
// HTML rules ("Parsing an event stream"): UTF-8 with an optional leading BOM,
// lines ended by CRLF, LF or CR, comments, "retry" only when all ASCII
// digits, "id" ignored when it contains NUL, data lines joined by "\n", and a
// block dispatched only when its data is not empty. A block not ended by a
// blank line when the stream ends is discarded, as a browser does.
type Reader struct {
	br          *bufio.Reader
	started     bool // the BOM check is done
	skipLF      bool // the previous line ended with CR: a following LF is part of it
	lastEventID string
	retry       time.Duration
	retrySet    bool

	// The block being read.
	typ      string
	data     []byte
	comments []string
	line     []byte
}

// NewReader returns a Reader of the event stream r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReader(r)}
}

// LastEventID returns the last event ID string: the value of the last
// valid "id" field read so far (including in blocks that dispatched
// nothing).
func (r *Reader) LastEventID() string { return r.lastEventID }

// Retry returns the reconnection time set by the last valid "retry" field,
// and whether one was read.
func (r *Reader) Retry() (time.Duration, bool) { return r.retry, r.retrySet }

// Next reads up to the next event EventSource would dispatch and returns it.
// At the end of the stream it returns io.EOF (with any incomplete block
// discarded); a read error is returned as is.
func (r *Reader) Next() (Event, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Event{}, io.EOF
			}
			return Event{}, err
		}
		if ev, ok := r.processLine(line); ok {
			return ev, nil
		}
	}
}

// processLine applies one line; it returns the event a blank line
// dispatches.
func (r *Reader) processLine(line string) (Event, bool) {
	if line == "" {
		return r.dispatch()
	}
	if line[0] == ':' {
		c := line[1:]
		if len(c) > 0 && c[0] == ' ' {
			c = c[1:]
		}
		r.comments = append(r.comments, c)
		return Event{}, false
	}
	field, value := line, ""
	if i := indexByte(line, ':'); i >= 0 {
		field, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch field {
	case "event":
		r.typ = value
	case "data":
		r.data = append(r.data, value...)
		r.data = append(r.data, '\n')
	case "id":
		if indexByte(value, 0) < 0 {
			r.lastEventID = value
		}
	case "retry":
		if value != "" && allDigits(value) {
			if ms, err := strconv.ParseInt(value, 10, 64); err == nil {
				r.retry, r.retrySet = time.Duration(ms)*time.Millisecond, true
			}
		}
	}
	return Event{}, false
}

// dispatch ends a block.
func (r *Reader) dispatch() (Event, bool) {
	if len(r.data) == 0 {
		r.typ = ""
		return Event{}, false
	}
	ev := Event{
		Type:        r.typ,
		Data:        string(r.data[:len(r.data)-1]),
		LastEventID: r.lastEventID,
		Comments:    r.comments,
	}
	if ev.Type == "" {
		ev.Type = "message"
	}
	r.typ, r.data, r.comments = "", r.data[:0], nil
	return ev, true
}

// readLine returns the next line, decoded from UTF-8, without its end.
func (r *Reader) readLine() (string, error) {
	if !r.started {
		r.started = true
		if b, err := r.br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
			_, _ = r.br.Discard(3)
		}
	}
	r.line = r.line[:0]
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return "", err // an unterminated line is never processed
		}
		if r.skipLF {
			r.skipLF = false
			if c == '\n' {
				continue
			}
		}
		switch c {
		case '\n':
			return decodeUTF8(r.line), nil
		case '\r':
			r.skipLF = true
			return decodeUTF8(r.line), nil
		}
		r.line = append(r.line, c)
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decodeUTF8 decodes b as the WHATWG Encoding standard's UTF-8 decoder does:
// each maximal invalid subsequence becomes one U+FFFD.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	var (
		cp           rune
		needed, seen int
		lower, upper byte = 0x80, 0xBF
	)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if needed == 0 {
			switch {
			case c <= 0x7F:
				out = append(out, c)
			case c >= 0xC2 && c <= 0xDF:
				needed, cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				} else if c == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(c&0x0F)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				} else if c == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(c&0x07)
			default:
				out = utf8.AppendRune(out, utf8.RuneError)
			}
			continue
		}
		if c < lower || c > upper {
			cp, needed, seen, lower, upper = 0, 0, 0, 0x80, 0xBF
			out = utf8.AppendRune(out, utf8.RuneError)
			i-- // the byte starts over
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(c&0x3F)
		if seen++; seen == needed {
			out = utf8.AppendRune(out, cp)
			cp, needed, seen = 0, 0, 0
		}
	}
	if needed != 0 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return string(out)
}
