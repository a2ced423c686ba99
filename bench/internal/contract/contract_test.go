package contract

import (
	"net/http/httptest"
	"testing"
)

func TestPayloadRoundTrip(t *testing.T) {
	t.Parallel()
	b := AppendPayload(nil, 1700000000123456789, 42, 3)
	if got, want := string(b), `{"t":1700000000123456789,"seq":42,"pad":"xxx"}`; got != want {
		t.Fatalf("payload = %s, want %s", got, want)
	}
	tt, seq, ok := ParsePayload(b)
	if !ok || tt != 1700000000123456789 || seq != 42 {
		t.Fatalf("ParsePayload = %d, %d, %v", tt, seq, ok)
	}
}

func TestParsePayloadForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		t      int64
		seq    int
		wantOK bool
	}{
		{`{"seq": 7, "t": 99}`, 99, 7, true}, // another key order, spaces
		{`{"t":5,"seq":0,"pad":""}`, 5, 0, true},
		{`{"t":5}`, 0, 0, false},
		{`{"t":"5","seq":1}`, 0, 0, false},
		{`hello`, 0, 0, false},
		{`{"t":99999999999999999999,"seq":1}`, 0, 0, false}, // overflows int64
	}
	for _, tc := range tests {
		tt, seq, ok := ParsePayload([]byte(tc.in))
		if ok != tc.wantOK || (ok && (tt != tc.t || seq != tc.seq)) {
			t.Errorf("ParsePayload(%s) = %d, %d, %v", tc.in, tt, seq, ok)
		}
	}
}

func TestParseCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query   string
		n, size int
		wantErr bool
	}{
		{"n=10&size=64", 10, 64, false},
		{"n=10", 10, 0, false},
		{"", 0, 0, true},
		{"n=-1", 0, 0, true},
		{"n=10&size=2000000", 0, 0, true},
		{"n=99999999999", 0, 0, true},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("POST", "/x?"+tc.query, nil)
		n, size, err := ParseCounts(r)
		if (err != nil) != tc.wantErr || n != tc.n || size != tc.size {
			t.Errorf("ParseCounts(%q) = %d, %d, %v", tc.query, n, size, err)
		}
	}
}
