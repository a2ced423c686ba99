package sse

import "sync"

// queueBufSize is the size of the buffers that streams queue their encoded
// events in. Streams take one from a pool when an event comes and nothing
// is queued, and give it back once written when nothing more is (see
// recycleLocked): buffers move between streams, so that many connections
// that open and receive bursts (a broadcast) do not each grow theirs from
// nothing, and a stream between bursts holds none. A batch that outgrows
// one gets an ordinary, larger buffer.
const queueBufSize = 8 << 10

type queueBuf [queueBufSize]byte

var queueBufPool = sync.Pool{New: func() any { return new(queueBuf) }}

// getQueueBuf returns an empty buffer from the pool.
func getQueueBuf() []byte { return queueBufPool.Get().(*queueBuf)[:0] }

// putQueueBuf returns b to the pool if it came from it (buffers of other
// sizes are left to the garbage collector). The caller must hold the only
// reference to b.
func putQueueBuf(b []byte) {
	if cap(b) == queueBufSize {
		queueBufPool.Put((*queueBuf)(b[:queueBufSize]))
	}
}
