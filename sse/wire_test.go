package sse_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// The expected bytes below are written by hand from the rules in
// NEST-SSE.md, not produced by the encoder.

func TestWireEvents(t *testing.T) {
	t.Parallel()
	ev := func(e sse.MessageEvent) rx.Observable[sse.MessageEvent] { return rx.Of(e) }
	tests := []struct {
		name string
		obs  rx.Observable[sse.MessageEvent]
		want string
	}{
		{"empty stream", rx.Empty[sse.MessageEvent](), "\n"},
		{"string data", ev(sse.MessageEvent{Data: "hello"}), "\nid: 1\ndata: hello\n\n"},
		{"empty string data", ev(sse.MessageEvent{Data: ""}), "\nid: 1\ndata: \n\n"},
		{"nil data writes the event without a data line", ev(sse.MessageEvent{}), "\nid: 1\n\n"},
		{"typed nil data is null: no data line", ev(sse.MessageEvent{Data: (*struct{})(nil)}), "\nid: 1\n\n"},
		{"field order", ev(sse.MessageEvent{
			Data: "d", ID: ptr("x"), Type: "t", Retry: ptr(3 * time.Second), Comment: new("c"),
		}), "\nevent: t\nid: x\nretry: 3000\n: c\ndata: d\n\n"},
		{"explicitly empty id", ev(sse.MessageEvent{Data: "d", ID: ptr("")}), "\nid: \ndata: d\n\n"},
		{"retry zero", ev(sse.MessageEvent{Data: "d", Retry: ptr(time.Duration(0))}), "\nid: 1\nretry: 0\ndata: d\n\n"},
		{"retry in whole milliseconds", ev(sse.MessageEvent{Retry: ptr(1500*time.Microsecond + 999)}), "\nid: 1\nretry: 1\n\n"},
		{"multi-line data on CRLF, CR and LF", ev(sse.MessageEvent{Data: "a\r\nb\rc\nd"}),
			"\nid: 1\ndata: a\ndata: b\ndata: c\ndata: d\n\n"},
		{"trailing line break yields an empty data line", ev(sse.MessageEvent{Data: "a\n"}),
			"\nid: 1\ndata: a\ndata: \n\n"},
		{"lone CR at the end", ev(sse.MessageEvent{Data: "a\r"}), "\nid: 1\ndata: a\ndata: \n\n"},
		{"CRLF pairs and blank lines", ev(sse.MessageEvent{Data: "\r\n\n\r"}),
			"\nid: 1\ndata: \ndata: \ndata: \ndata: \n\n"},
		{"multi-line comment", ev(sse.MessageEvent{Comment: new("x\r\ny"), Data: "d"}), "\nid: 1\n: x\n: y\ndata: d\n\n"},
		{"comment-only event takes no id", ev(sse.MessageEvent{Comment: new("ping")}), "\n: ping\n\n"},
		{"empty comment, as Nest's {comment: ''}", rx.Of(sse.MessageEvent{Comment: new("")}, sse.MessageEvent{Data: "a"}), "\n: \n\nid: 1\ndata: a\n\n"},
		{"empty comment on an event", ev(sse.MessageEvent{Comment: new(""), Data: "a"}), "\nid: 1\n: \ndata: a\n\n"},
		{"CR and LF stripped from type and id, NUL from id", ev(sse.MessageEvent{
			Type: "a\r\nb\rc\nd", ID: ptr("1\r2\n3\x004"), Data: "x",
		}), "\nevent: abcd\nid: 1234\ndata: x\n\n"},
		{"spaces kept as they are", ev(sse.MessageEvent{Type: " t ", Data: "  d "}), "\nevent:  t \nid: 1\ndata:   d \n\n"},
		{"JSON data compact, no HTML escaping, UTF-8 as is", ev(sse.MessageEvent{
			Data: map[string]any{"html": "<a href=\"x\">&</a>", "u": "é\u2028\u2029 ✓", "n": 1.5, "l": []int{1, 2}},
		}), "\nid: 1\ndata: {\"html\":\"<a href=\\\"x\\\">&</a>\",\"l\":[1,2],\"n\":1.5,\"u\":\"é\u2028\u2029 ✓\"}\n\n"},
		{"JSON string data escapes newlines, keeps one line", ev(sse.MessageEvent{Data: []string{"a\nb"}}),
			"\nid: 1\ndata: [\"a\\nb\"]\n\n"},
		{"automatic ids: explicit ids neither consume nor reset, comments take none", rx.Of(
			sse.MessageEvent{Data: "a"},
			sse.MessageEvent{Data: "b", ID: ptr("custom")},
			sse.MessageEvent{Comment: new("keep-alive")},
			sse.MessageEvent{Data: "c"},
		), "\nid: 1\ndata: a\n\nid: custom\ndata: b\n\n: keep-alive\n\nid: 2\ndata: c\n\n"},
		{"error after the headers: event error with the next id, HTTP message", rx.Concat(
			rx.Of(sse.MessageEvent{Data: "a"}),
			rx.Throw[sse.MessageEvent](httperr.New(http.StatusNotFound, "gone\nfor good")),
		), "\nid: 1\ndata: a\n\nevent: error\nid: 2\ndata: gone\ndata: for good\n\n"},
		{"error after the headers: internal messages never leak", rx.Concat(
			rx.Of(sse.MessageEvent{Data: "a", ID: ptr("7")}),
			rx.Throw[sse.MessageEvent](errors.New("database password is hunter2")),
		), "\nid: 7\ndata: a\n\nevent: error\nid: 1\ndata: Internal server error\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger, _ := testLogger()
			srv := serveStream(t, &sse.Options{Logger: logger}, just(tt.obs))
			resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status = %d, want 200", resp.StatusCode)
			}
			if body != tt.want {
				t.Errorf("body =\n%q\nwant\n%q", body, tt.want)
			}
		})
	}
}
