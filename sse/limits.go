//go:build unix

package sse

import "syscall"

// DefaultMaxStreams is the limit on open streams when Options.MaxStreams is
// zero: three quarters of the process's soft open-file limit (each stream
// holds a connection), so that the server keeps descriptors for the other
// requests and for accepting; 10,000 when the limit cannot be read.
func DefaultMaxStreams() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur > 0 && rl.Cur < 1<<40 {
		return int(rl.Cur / 4 * 3)
	}
	return 10000
}
