package streamid

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want ID
		err  bool
	}{
		{in: "0-0", want: ID{}},
		{in: "1718000000000-42", want: ID{1718000000000, 42}},
		{in: "18446744073709551615-18446744073709551615", want: ID{^uint64(0), ^uint64(0)}},
		{in: "", err: true},
		{in: "12", err: true},
		{in: "-1", err: true},
		{in: "1-", err: true},
		{in: "1-2-3", err: true},
		{in: "a-1", err: true},
		{in: "+1-1", err: true},
		{in: "18446744073709551616-0", err: true},
	} {
		got, err := Parse(tt.in)
		if tt.err {
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%q) = %v, %v; want ErrSyntax", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want || got.String() != tt.in {
			t.Errorf("Parse(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestOrder(t *testing.T) {
	ordered := []ID{{0, 0}, {0, 1}, {0, ^uint64(0)}, {1, 0}, {2, 5}, {10, 0}}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
		}
	}
	if got := (ID{0, ^uint64(0)}).Next(); got != (ID{1, 0}) {
		t.Errorf("Next across the sequence limit: %v", got)
	}
	if got := (ID{3, 4}).Next(); got != (ID{3, 5}) {
		t.Errorf("Next: %v", got)
	}
}
