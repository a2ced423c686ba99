//go:build !unix

package sse

// DefaultMaxStreams is the limit on open streams when Options.MaxStreams is
// zero: 10,000 where the process's open-file limit cannot be read.
func DefaultMaxStreams() int { return 10000 }
