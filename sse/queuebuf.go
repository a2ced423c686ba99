package sse

import "sync"

// The writer of a lazy stream (refs.go) encodes each batch into a buffer
// from one of two pools, of 8 KiB and 64 KiB, that fits the batch, and
// gives it back once written when nothing more is queued (see
// recycleLocked): buffers move between streams, so that many connections
// that open and receive bursts (a broadcast) do not each grow theirs from
// nothing, and a stream between bursts holds none. A batch larger than
// 64 KiB gets an ordinary buffer, left to the garbage collector. Other
// streams grow their own buffers as they encode (an idle stream that gets
// one small event now and then holds a small one), and give them to the
// pools when they end.
const (
	queueBufSize    = 8 << 10
	bigQueueBufSize = 64 << 10
)

type (
	queueBuf    [queueBufSize]byte
	bigQueueBuf [bigQueueBufSize]byte
)

var (
	queueBufPool    = sync.Pool{New: func() any { return new(queueBuf) }}
	bigQueueBufPool = sync.Pool{New: func() any { return new(bigQueueBuf) }}
)

// getQueueBufFor returns an empty buffer of at least n bytes.
func getQueueBufFor(n int) []byte {
	switch {
	case n <= queueBufSize:
		return queueBufPool.Get().(*queueBuf)[:0]
	case n <= bigQueueBufSize:
		return bigQueueBufPool.Get().(*bigQueueBuf)[:0]
	}
	return make([]byte, 0, n)
}

// putQueueBuf returns b to its pool if it came from one (buffers of other
// sizes are left to the garbage collector). The caller must hold the only
// reference to b.
func putQueueBuf(b []byte) {
	switch cap(b) {
	case queueBufSize:
		queueBufPool.Put((*queueBuf)(b[:queueBufSize]))
	case bigQueueBufSize:
		bigQueueBufPool.Put((*bigQueueBuf)(b[:bigQueueBufSize]))
	}
}
