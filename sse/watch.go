package sse

import "net"

// Watching for the client leaving. A client sends nothing while it listens,
// so a detached stream learns that its client left when its connection
// becomes readable: end of file, a reset, or (unexpectedly) bytes.
//
// The portable way is a goroutine per stream blocked reading the
// connection. On Linux, the streams of one Streams account share one epoll
// instance instead (watch_linux.go): an idle detached stream then holds no
// goroutine at all, which saves its stack, the largest part of what an idle
// stream costs. The Go runtime has no public hook for "this connection
// became readable" without a goroutine waiting on it, hence the seam.

// watcher tells a stream when its client leaves.
type watcher interface {
	// watch starts watching conn for s. It reports false when it cannot
	// (the caller then watches with a goroutine).
	watch(s *stream, conn net.Conn) bool
	// unwatch stops watching conn for s, before conn is closed. It
	// reports whether it was still watching (rather than handing conn
	// back to s, or to a goroutine, for something that happened).
	unwatch(s *stream, conn net.Conn) bool
}

// watchWithGoroutine reads conn until it fails, then ends s: the portable
// watcher. Anything the client sends is ignored.
func watchWithGoroutine(s *stream, conn net.Conn) {
	var b [1]byte
	for {
		if _, err := conn.Read(b[:]); err != nil {
			break
		}
	}
	s.clientLeft()
}
