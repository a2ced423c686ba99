package sse

// A queue holds a stream's events between its producers and its writer.
// An event is queued in one of two forms:
//   - a shared encoding (an *Encoded, from a broadcast): a pointer and the
//     automatic id it takes, so that the goroutine handing a broadcast to
//     every stream does a pointer's work for each; the writer copies the
//     bytes;
//   - bytes, encoded into buf when queued (an event made for this
//     connection alone, on its own producer's goroutine).
//
// The queue is bounded by events and by bytes (see Options.QueueSize and
// QueueBytes); the stream's slow-client policy decides what happens when it
// is full.
type queue struct {
	items []item // items[first:] are queued, oldest first
	first int
	buf   []byte // the bytes of the byte items; buf[:start] were dropped
	start int
	bytes int // the size of the queued events
}

// item is one queued event.
type item struct {
	ref *Encoded // a shared event; nil: the next bytes of buf
	n   uint64   // ref: its automatic id (0: none); bytes: where they end in buf
}

func (q *queue) len() int { return len(q.items) - q.first }

// full reports whether one more event would pass the limits. An event larger
// than maxBytes still goes into an empty queue.
func (q *queue) full(maxEvents, maxBytes int) bool {
	n := q.len()
	return n >= maxEvents || (n > 0 && q.bytes >= maxBytes)
}

// pushRef queues a shared event with its automatic id (0: none).
func (q *queue) pushRef(e *Encoded, id uint64) {
	q.items = append(q.items, item{ref: e, n: id})
	q.bytes += e.size
}

// pushBytes queues the event just appended to buf, from at on.
func (q *queue) pushBytes(at int) {
	q.items = append(q.items, item{n: uint64(len(q.buf))})
	q.bytes += len(q.buf) - at
}

// dropOldest discards the oldest event. Dropped room is reclaimed once it
// makes up half of the queue, so each drop costs O(1) amortized.
func (q *queue) dropOldest() {
	it := q.items[q.first]
	q.items[q.first] = item{}
	q.first++
	if it.ref != nil {
		q.bytes -= it.ref.size
	} else {
		q.bytes -= int(it.n) - q.start
		q.start = int(it.n)
	}
	if q.first == len(q.items) {
		q.reset()
		return
	}
	if q.first >= 64 && q.first*2 >= len(q.items) {
		n := copy(q.items, q.items[q.first:])
		clear(q.items[n:])
		q.items, q.first = q.items[:n], 0
	}
	if q.start >= 4096 && q.start*2 >= len(q.buf) {
		n := copy(q.buf, q.buf[q.start:])
		for i := range q.items {
			if q.items[i].ref == nil {
				q.items[i].n -= uint64(q.start)
			}
		}
		q.buf, q.start = q.buf[:n], 0
	}
}

// reset empties the queue, keeping its storage.
func (q *queue) reset() {
	clear(q.items)
	q.items, q.first = q.items[:0], 0
	q.buf, q.start = q.buf[:0], 0
	q.bytes = 0
}

// release lets the storage of an empty queue go: an idle stream holds none.
func (q *queue) release() {
	if q.len() == 0 {
		*q = queue{}
	}
}

// batch is what a writer takes from the queue at once: the events, and the
// storage they are in (given back with giveBack).
type batch struct {
	items []item
	buf   []byte
	start int
}

// take moves the queued events into b and leaves the queue empty, with the
// storage b had (so that producer and writer swap two sets of buffers and a
// busy stream allocates nothing).
func (q *queue) take(b *batch) {
	items, buf := b.items[:0], b.buf[:0]
	b.items, b.buf, b.start = q.items[q.first:], q.buf, q.start
	q.items, q.first, q.buf, q.start, q.bytes = items, 0, buf, 0, 0
}

// appendTo appends the events of b to dst as they go on the wire.
func (b *batch) appendTo(dst []byte) ([]byte, error) {
	at := b.start
	for _, it := range b.items {
		if it.ref == nil {
			dst = append(dst, b.buf[at:it.n]...)
			at = int(it.n)
			continue
		}
		var err error
		if dst, err = it.ref.appendTo(dst, it.n); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// bytesOnly returns the batch's bytes when it holds no shared event: they
// can be written as they are.
func (b *batch) bytesOnly() ([]byte, bool) {
	for _, it := range b.items {
		if it.ref != nil {
			return nil, false
		}
	}
	return b.buf[b.start:], true
}

// clear drops the batch's references to events, keeping its storage.
func (b *batch) clear() {
	clear(b.items)
	b.items, b.buf, b.start = b.items[:0], b.buf[:0], 0
}
