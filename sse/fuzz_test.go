package sse

import (
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rxsse/rxsse/sse/ssetest"
)

// FuzzEncodeParse encodes a random event, parses it back as a browser does
// (ssetest follows the WHATWG rules) and compares field by field: no value
// can inject a field or get lost.
func FuzzEncodeParse(f *testing.F) {
	f.Add("", "", false, int64(0), false, "", "", uint8(1))
	f.Add("type", "id", true, int64(1500), true, "comment", "data", uint8(1))
	f.Add("a\r\nb", "x\x00y\nz", true, int64(-5), true, "c1\rc2\r\n", "\r\n\n\r", uint8(1))
	f.Add(" lead", " ", true, int64(0), true, ": not a field", "data: fake\n\nevent: x", uint8(1))
	f.Add("", "", false, int64(0), false, "only a comment", "", uint8(0))
	f.Add("t", "", false, int64(0), false, "", "\uFEFFbom\u2028line\u2029sep", uint8(2))
	f.Add("t", "", true, int64(9), true, "", "<>&\"\\\x01", uint8(2))
	f.Fuzz(func(t *testing.T, typ, id string, hasID bool, retryMs int64, hasRetry bool, comment, data string, kind uint8) {
		typ, id = strings.ToValidUTF8(typ, "?"), strings.ToValidUTF8(id, "?")
		comment, data = strings.ToValidUTF8(comment, "?"), strings.ToValidUTF8(data, "?")
		retryMs = retryMs % 1e12
		ev := MessageEvent{Type: typ}
		if comment != "" {
			ev.Comment = &comment
		}
		if hasID {
			ev.ID = &id
		}
		if hasRetry {
			r := time.Duration(retryMs) * time.Millisecond
			ev.Retry = &r
		}
		switch kind % 3 {
		case 1:
			ev.Data = data
		case 2:
			ev.Data = map[string]string{"k": data}
		}

		next := uint64(1)
		wire, err := appendEvent([]byte("\n"), &ev, &next)
		if err != nil {
			t.Fatal(err)
		}
		wire = append(wire, "data: sentinel\n\n"...)
		r := ssetest.NewReader(strings.NewReader(string(wire)))
		got, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}

		wantID := ""
		switch {
		case ev.ID != nil:
			wantID = strip(id, "\r\n\x00")
		case !commentOnly(&ev):
			wantID = "1"
		}
		var wantComments []string
		if comment != "" {
			wantComments = strings.Split(normalizeLines(comment), "\n")
		}
		var want []ssetest.Event
		if ev.Data != nil {
			wantType := strip(typ, "\r\n")
			if wantType == "" {
				wantType = "message"
			}
			wantData := normalizeLines(data)
			if kind%3 == 2 {
				wantData = "" // compared below, as JSON
			}
			want = append(want, ssetest.Event{Type: wantType, Data: wantData, LastEventID: wantID, Comments: wantComments})
			wantComments = nil
		}
		want = append(want, ssetest.Event{Type: "message", Data: "sentinel", LastEventID: wantID, Comments: wantComments})

		if len(got) == 2 && kind%3 == 2 {
			var m map[string]string
			if err := json.Unmarshal([]byte(got[0].Data), &m); err != nil || m["k"] != data {
				t.Fatalf("JSON data %q does not decode to %q: %v", got[0].Data, data, err)
			}
			if strings.ContainsAny(got[0].Data, "\n\r") {
				t.Fatalf("JSON data spans lines: %q", got[0].Data)
			}
			got[0].Data = ""
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("wire %q\nparsed %+v\nwant   %+v", wire, got, want)
		}
		retry, ok := r.Retry()
		if wantOK := hasRetry && retryMs >= 0; ok != wantOK || (ok && retry != time.Duration(retryMs)*time.Millisecond) {
			t.Fatalf("retry %v %v, want %v ms (%v)", retry, ok, retryMs, wantOK)
		}
		if !utf8.Valid(wire) {
			t.Fatalf("wire is not UTF-8: %q", wire)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("after the events: %v", err)
		}
	})
}

// normalizeLines turns CRLF and CR into LF.
func normalizeLines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func strip(s, cut string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(cut, r) {
			return -1
		}
		return r
	}, s)
}
