package load

import "bytes"

// parser is a streaming text/event-stream parser that keeps only what the
// load client needs: each event's data. It follows the WHATWG rules for
// lines (LF, CRLF or CR), comments, the "field: value" split with one
// optional space, and data lines joined by LF. It allocates only while an
// event or line spans reads.
type parser struct {
	line    []byte // a line begun in an earlier feed
	data    []byte // the data of the event being read
	hasData bool
	skipLF  bool // the last byte fed was CR: a following LF ends nothing
	onEvent func(data []byte)
}

// feed parses b. onEvent's argument is valid only during the call.
func (p *parser) feed(b []byte) {
	for len(b) > 0 {
		if p.skipLF {
			p.skipLF = false
			if b[0] == '\n' {
				b = b[1:]
				continue
			}
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		}
		end := i // the line ends before b[end]
		if j := bytes.IndexByte(b[:i], '\r'); j >= 0 {
			end = j
		} else if i == len(b) {
			// No line end yet: keep the partial line for the next feed.
			p.line = append(p.line, b...)
			return
		}
		line := b[:end]
		if len(p.line) > 0 {
			p.line = append(p.line, line...)
			line = p.line
		}
		p.lineDone(line)
		p.line = p.line[:0]
		if end < len(b) && b[end] == '\r' {
			p.skipLF = true
		}
		b = b[end+1:]
	}
}

// lineDone handles one complete line.
func (p *parser) lineDone(line []byte) {
	if len(line) == 0 {
		if p.hasData {
			p.onEvent(p.data)
		}
		p.data, p.hasData = p.data[:0], false
		return
	}
	if line[0] == ':' {
		return // comment
	}
	field, value := line, []byte(nil)
	if c := bytes.IndexByte(line, ':'); c >= 0 {
		field, value = line[:c], line[c+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	if string(field) != "data" {
		return // id, event, retry: not needed by the load client
	}
	if p.hasData {
		p.data = append(p.data, '\n')
	}
	p.data = append(p.data, value...)
	p.hasData = true
}
