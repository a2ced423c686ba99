// Package streamid parses and orders message ids of the form "<n>-<n>", the
// form of Redis stream entry ids, which the memory hub uses too (epoch and
// sequence number), so that every backend's ids order the same way.
package streamid

import (
	"errors"
	"strconv"
	"strings"
)

// ID is a parsed id: ordered by Hi, then Lo.
type ID struct {
	Hi, Lo uint64
}

// ErrSyntax reports a string that is not "<n>-<n>".
var ErrSyntax = errors.New("streamid: not a stream id")

// Parse reads "<hi>-<lo>" with both parts decimal.
func Parse(s string) (ID, error) {
	hi, lo, ok := strings.Cut(s, "-")
	if !ok {
		return ID{}, ErrSyntax
	}
	h, err := strconv.ParseUint(hi, 10, 64)
	if err != nil {
		return ID{}, ErrSyntax
	}
	l, err := strconv.ParseUint(lo, 10, 64)
	if err != nil {
		return ID{}, ErrSyntax
	}
	return ID{Hi: h, Lo: l}, nil
}

// MustParse is Parse for ids known to be well formed (those a backend made).
func MustParse(s string) ID {
	id, err := Parse(s)
	if err != nil {
		panic("streamid: " + strconv.Quote(s) + " is not a stream id")
	}
	return id
}

// Compare returns -1, 0 or +1 as a is before, equal to or after b.
func (a ID) Compare(b ID) int {
	switch {
	case a.Hi < b.Hi:
		return -1
	case a.Hi > b.Hi:
		return 1
	case a.Lo < b.Lo:
		return -1
	case a.Lo > b.Lo:
		return 1
	}
	return 0
}

// Next returns the smallest id after a (for exclusive range starts on
// servers without "(" ranges).
func (a ID) Next() ID {
	if a.Lo == ^uint64(0) {
		return ID{Hi: a.Hi + 1}
	}
	return ID{Hi: a.Hi, Lo: a.Lo + 1}
}

// String formats the id as "<hi>-<lo>".
func (a ID) String() string {
	b := make([]byte, 0, 41)
	return string(a.Append(b))
}

// Append appends the id's text to b.
func (a ID) Append(b []byte) []byte {
	b = strconv.AppendUint(b, a.Hi, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, a.Lo, 10)
}
