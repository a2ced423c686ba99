package sse

import "strconv"

// Automatic ids: Nest numbers the events of each connection 1, 2, 3, …
// (an event with an id of its own, and a comment-only event, take none).
// A stream's producers draw the numbers, under the stream's lock, when an
// event is queued; the writer formats them.

// appendAutoID appends the line "id: <id>".
func appendAutoID(dst []byte, id uint64) []byte {
	dst = append(dst, "id: "...)
	dst = strconv.AppendUint(dst, id, 10)
	return append(dst, '\n')
}
