package sse

import "strconv"

// Automatic ids: Nest numbers the events of each connection 1, 2, 3, …
// (an event with an id of its own, and a comment-only event, take none).
// A stream's producers draw the numbers, under the stream's lock, when an
// event is queued; the writer formats them.

// appendAutoID appends the line "id: <id>".
func appendAutoID(dst []byte, id uint64) []byte {
	if id < 10000 { // the common case, without a division loop's setup
		var b [10]byte
		b[0], b[1], b[2], b[3] = 'i', 'd', ':', ' '
		n := 4
		switch {
		case id >= 1000:
			b[n], b[n+1], b[n+2], b[n+3] = byte('0'+id/1000), byte('0'+id/100%10), byte('0'+id/10%10), byte('0'+id%10)
			n += 4
		case id >= 100:
			b[n], b[n+1], b[n+2] = byte('0'+id/100), byte('0'+id/10%10), byte('0'+id%10)
			n += 3
		case id >= 10:
			b[n], b[n+1] = byte('0'+id/10), byte('0'+id%10)
			n += 2
		default:
			b[n] = byte('0' + id)
			n++
		}
		b[n] = '\n'
		return append(dst, b[:n+1]...)
	}
	dst = append(dst, "id: "...)
	dst = strconv.AppendUint(dst, id, 10)
	return append(dst, '\n')
}
