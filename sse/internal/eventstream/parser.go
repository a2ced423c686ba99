// Package eventstream parses text/event-stream bodies following the WHATWG
// HTML rules ("Parsing an event stream"). It is the one parser of the tree:
// package ssetest reads test responses with it and package sse/client
// consumes remote streams with it.
package eventstream

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// ErrTooLong is returned by Next when a line or an event's data exceeds
// Config.MaxEventSize.
var ErrTooLong = errors.New("eventstream: event too long")

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
	// leading space removed) read since the previous event, in order, when
	// Config.Comments is set.
	Comments []string
}

// Config says what a Parser keeps. The zero Config keeps no comments and
// sets no limit.
type Config struct {
	// Comments keeps comment lines, to be returned with the next event. A
	// long-lived consumer leaves it off: heartbeat comments on an idle
	// stream would otherwise pile up.
	Comments bool
	// MaxEventSize, when positive, bounds a line and the data of one
	// event, in bytes; beyond it Next fails with ErrTooLong.
	MaxEventSize int
}

// Parser reads events from a text/event-stream body: UTF-8 with an optional
// leading BOM, lines ended by CRLF, LF or CR, comments, "retry" only when
// all ASCII digits, "id" ignored when it contains NUL, data lines joined by
// "\n", and a block dispatched only when its data is not empty. A block not
// ended by a blank line when the stream ends is discarded, as a browser
// does. A Parser is not safe for concurrent use.
type Parser struct {
	br          *bufio.Reader
	cfg         Config
	started     bool // the BOM check is done
	skipLF      bool // the previous line ended with CR: a following LF is part of it
	lastEventID string
	retry       time.Duration
	retrySet    bool

	// The block being read.
	typ      string
	data     []byte
	hasData  bool
	comments []string
	line     []byte
}

// NewParser returns a Parser of the event stream r.
func NewParser(r io.Reader, cfg Config) *Parser {
	return &Parser{br: bufio.NewReader(r), cfg: cfg}
}

// SetLastEventID sets the last event ID string, as a reconnecting
// EventSource carries it over from its previous connection.
func (p *Parser) SetLastEventID(id string) { p.lastEventID = id }

// LastEventID returns the last event ID string: the value of the last valid
// "id" field read so far (including in blocks that dispatched nothing).
func (p *Parser) LastEventID() string { return p.lastEventID }

// Retry returns the reconnection time set by the last valid "retry" field,
// and whether one was read.
func (p *Parser) Retry() (time.Duration, bool) { return p.retry, p.retrySet }

// Next reads up to the next event EventSource would dispatch and returns it.
// At the end of the stream it returns io.EOF (with any incomplete block
// discarded); a read error is returned as is.
func (p *Parser) Next() (Event, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return Event{}, err
		}
		ev, ok, err := p.processLine(line)
		if err != nil {
			return Event{}, err
		}
		if ok {
			return ev, nil
		}
	}
}

// processLine applies one line; it returns the event a blank line
// dispatches.
func (p *Parser) processLine(line string) (Event, bool, error) {
	if line == "" {
		ev, ok := p.dispatch()
		return ev, ok, nil
	}
	if line[0] == ':' {
		if p.cfg.Comments {
			c := line[1:]
			if len(c) > 0 && c[0] == ' ' {
				c = c[1:]
			}
			p.comments = append(p.comments, c)
		}
		return Event{}, false, nil
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
		p.typ = value
	case "data":
		if max := p.cfg.MaxEventSize; max > 0 && len(p.data)+len(value) > max {
			return Event{}, false, fmt.Errorf("%w: data over %d bytes", ErrTooLong, max)
		}
		p.data = append(p.data, value...)
		p.data = append(p.data, '\n')
		p.hasData = true
	case "id":
		if indexByte(value, 0) < 0 {
			p.lastEventID = value
		}
	case "retry":
		if value != "" && allDigits(value) {
			if ms, err := strconv.ParseInt(value, 10, 64); err == nil && ms <= maxRetryMs {
				p.retry, p.retrySet = time.Duration(ms)*time.Millisecond, true
			}
		}
	}
	return Event{}, false, nil
}

// maxRetryMs keeps a retry hint inside time.Duration.
const maxRetryMs = int64(1<<63-1) / int64(time.Millisecond)

// dispatch ends a block.
func (p *Parser) dispatch() (Event, bool) {
	if !p.hasData {
		p.typ = ""
		return Event{}, false
	}
	ev := Event{
		Type:        p.typ,
		Data:        string(p.data[:len(p.data)-1]),
		LastEventID: p.lastEventID,
		Comments:    p.comments,
	}
	if ev.Type == "" {
		ev.Type = "message"
	}
	p.typ, p.data, p.hasData, p.comments = "", p.data[:0], false, nil
	return ev, true
}

// readLine returns the next line, decoded from UTF-8, without its end. It
// scans what the buffer holds rather than reading byte by byte.
func (p *Parser) readLine() (string, error) {
	if !p.started {
		p.started = true
		if b, err := p.br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
			_, _ = p.br.Discard(3)
		}
	}
	if p.skipLF {
		b, err := p.br.Peek(1)
		if err != nil {
			return "", err
		}
		p.skipLF = false
		if b[0] == '\n' {
			_, _ = p.br.Discard(1)
		}
	}
	p.line = p.line[:0]
	for {
		n := p.br.Buffered()
		if n == 0 {
			if _, err := p.br.Peek(1); err != nil {
				return "", err // an unterminated line is never processed
			}
			n = p.br.Buffered()
		}
		buf, _ := p.br.Peek(n)
		i := bytes.IndexAny(buf, "\r\n")
		if i < 0 {
			i = len(buf)
		}
		if max := p.cfg.MaxEventSize; max > 0 && len(p.line)+i > max {
			return "", fmt.Errorf("%w: line over %d bytes", ErrTooLong, max)
		}
		p.line = append(p.line, buf[:i]...)
		if i == len(buf) {
			_, _ = p.br.Discard(i)
			continue
		}
		p.skipLF = buf[i] == '\r'
		_, _ = p.br.Discard(i + 1)
		return decodeUTF8(p.line), nil
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
