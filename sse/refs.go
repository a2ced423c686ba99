package sse

// Lazy queueing. A broadcast goes to many streams from one goroutine (a
// hub delivering to each subscriber in turn), so whatever a stream does
// when an event is queued is on that goroutine's path, once per connection.
// A stream of *Encoded events under the Disconnect policy therefore queues
// the events themselves (a pointer each, in refs) and its writer encodes
// them into the buffer it writes: the copying moves to the writers, which
// run in parallel, and the bytes are encoded just before they are written.
//
// The writer then owns the automatic id counter (nextID): ids are given in
// queue order, exactly as the producer would have given them, because under
// Disconnect no queued event is ever dropped and no dropped one takes an id.
// The other policies, and values of other types, are encoded when queued.

// refObserver queues the *Encoded events of a lazy stream.
type refObserver struct {
	*stream
}

func (o *refObserver) Next(e *Encoded) {
	s := o.stream
	s.mu.Lock()
	if s.ended() {
		s.mu.Unlock()
		return
	}
	start := false
	if s.queued >= s.cfg.queueSize {
		// Disconnect: the stream overflows, or (inline) the queue is
		// written in place and the event goes on.
		var ok bool
		if ok, _, start = s.makeRoom(); !ok {
			s.mu.Unlock()
			if start {
				go s.drain()
			}
			return
		}
	}
	s.refs = append(s.refs, e)
	s.emitted = true
	s.queued++
	if s.queued == 1 {
		start = s.notifyLocked()
	}
	s.mu.Unlock()
	if start {
		go s.drain()
	}
}

func (o *refObserver) Error(err error) {
	if err == nil {
		err = errNilError
	}
	o.stream.end(err)
}

func (o *refObserver) Complete() { o.stream.end(nil) }

// encodeRefs encodes the batch's queued events after its bytes, with the
// connection's automatic ids, and then gives the error event, if any, its
// id. Only the writer calls it; it does nothing for a stream that is not
// lazy.
func (s *stream) encodeRefs(b *batch) {
	if !s.lazy {
		return
	}
	if len(b.refs) > 0 {
		// One buffer that fits the whole batch: the longest id line is
		// "id: " and 20 digits.
		n := len(b.buf)
		for _, e := range b.refs {
			n += e.size() + 25
		}
		buf := b.buf
		if n > cap(buf) {
			buf = append(getQueueBufFor(n), buf...)
			putQueueBuf(b.taken) // too small: back to its pool
		}
		for i, e := range b.refs {
			buf = e.appendTo(buf, &s.nextID)
			b.refs[i] = nil
		}
		b.buf, b.taken = buf, buf
	}
	if b.err != nil {
		b.errID = s.nextID
		s.nextID.advance()
	}
}

// keepRefs keeps a written batch's list of events for the next one (the
// writer's, like spare).
func (s *stream) keepRefs(refs []*Encoded) {
	if cap(refs) > 0 && cap(refs) <= 8192 {
		s.spareRefs = refs[:0]
	}
}
