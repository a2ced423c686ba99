package bus

import "time"

// history keeps the latest messages of a memory hub for replay: at most
// limit of them, holding at most maxBytes of data, and none older than the
// hub's MaxAge. Sequence numbers are consecutive, so a message is found by
// arithmetic, not search.
type history struct {
	buf      []historyEntry // ring of len limit
	head     int            // index of the oldest entry
	n        int            // entries held
	limit    int
	bytes    int    // the data held
	maxBytes int    // <= 0: no byte limit
	last     uint64 // sequence number of the newest message ever added
}

type historyEntry struct {
	seq uint64
	at  time.Time
	msg *Message
}

func newHistory(limit, maxBytes int) history {
	if limit < 0 {
		limit = 0
	}
	return history{limit: limit, maxBytes: maxBytes}
}

// add appends the message with the next sequence number, evicting the
// oldest when full.
func (h *history) add(seq uint64, at time.Time, msg *Message) {
	h.last = seq
	if h.limit == 0 {
		return
	}
	if h.buf == nil {
		h.buf = make([]historyEntry, h.limit)
	}
	e := historyEntry{seq: seq, at: at, msg: msg}
	if h.n == h.limit {
		h.dropOldest()
	}
	h.buf[(h.head+h.n)%h.limit] = e
	h.n++
	h.bytes += msg.size()
	for h.maxBytes > 0 && h.bytes > h.maxBytes && h.n > 1 {
		h.dropOldest()
	}
}

// dropOldest forgets the oldest entry.
func (h *history) dropOldest() {
	h.bytes -= h.buf[h.head].msg.size()
	h.buf[h.head] = historyEntry{}
	h.head = (h.head + 1) % h.limit
	h.n--
}

// expire drops the entries published before cutoff.
func (h *history) expire(cutoff time.Time) {
	for h.n > 0 && h.buf[h.head].at.Before(cutoff) {
		h.dropOldest()
	}
}

// after returns the messages published after sequence number seq, oldest
// first, and whether the history reaches back that far (every message after
// seq is still held).
func (h *history) after(seq uint64) ([]*Message, bool) {
	if seq > h.last {
		return nil, false
	}
	first := h.last - uint64(h.n) + 1 // sequence number of the oldest held
	if seq+1 < first {
		return nil, false
	}
	missed := int(h.last - seq)
	if missed == 0 {
		return nil, true
	}
	out := make([]*Message, missed)
	start := h.n - missed
	for i := range out {
		out[i] = h.buf[(h.head+start+i)%h.limit].msg
	}
	return out, true
}
