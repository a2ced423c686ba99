package sse_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

type point struct {
	X, Y int
	Tag  string `json:"tag,omitempty"`
}

// Values that are not MessageEvents become the data of an event; unlike
// Nest, no payload is dropped.
func TestValuesBecomeData(t *testing.T) {
	t.Parallel()
	enc, err := sse.Encode(sse.MessageEvent{Type: "pre", Data: "encoded"})
	if err != nil {
		t.Fatal(err)
	}
	encID, err := sse.Encode(sse.MessageEvent{ID: ptr("e1"), Data: "fixed"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		h    http.Handler
		want string
	}{
		{"ints", sse.Handler(just(rx.Of(1, 2)), nil), "\nid: 1\ndata: 1\n\nid: 2\ndata: 2\n\n"},
		{"strings as is", sse.Handler(just(rx.Of("a\nb", "{x}")), nil), "\nid: 1\ndata: a\ndata: b\n\nid: 2\ndata: {x}\n\n"},
		{"structs as JSON", sse.Handler(just(rx.Of(point{1, 2, "<&>"})), nil), "\nid: 1\ndata: {\"X\":1,\"Y\":2,\"tag\":\"<&>\"}\n\n"},
		{"bools", sse.Handler(just(rx.Of(true)), nil), "\nid: 1\ndata: true\n\n"},
		{"pointers to events", sse.Handler(just(rx.Of(&sse.MessageEvent{Data: "p"}, nil)), nil), "\nid: 1\ndata: p\n\nid: 2\n\n"},
		{"encoded events", sse.Handler(just(rx.Of(enc, encID, enc)), nil),
			"\nevent: pre\nid: 1\ndata: encoded\n\nid: e1\ndata: fixed\n\nevent: pre\nid: 2\ndata: encoded\n\n"},
		{"any: each value by its dynamic type", sse.Handler(just(rx.Of[any](
			sse.MessageEvent{Type: "t", Data: "ev"}, "s", 3, nil, enc, map[string]int{"a": 1},
		)), nil), "\nevent: t\nid: 1\ndata: ev\n\nid: 2\ndata: s\n\nid: 3\ndata: 3\n\nid: 4\n\nevent: pre\nid: 5\ndata: encoded\n\nid: 6\ndata: {\"a\":1}\n\n"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptestServer(t, tt.h)
			_, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
			if body != tt.want {
				t.Errorf("body =\n%q\nwant\n%q", body, tt.want)
			}
		})
	}
}

// The Nest example: interval(1000) mapped to {data: {hello: 'world'}}.
func TestIntervalExample(t *testing.T) {
	t.Parallel()
	srv := serveStream(t, nil, just(rx.Map(rx.Take(rx.Interval(time.Millisecond), 3), func(int) sse.MessageEvent {
		return sse.MessageEvent{Data: map[string]string{"hello": "world"}}
	})))
	_, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	want := "\nid: 1\ndata: {\"hello\":\"world\"}\n\nid: 2\ndata: {\"hello\":\"world\"}\n\nid: 3\ndata: {\"hello\":\"world\"}\n\n"
	if body != want {
		t.Errorf("body %q", body)
	}
}

// A value that cannot be encoded fails the stream: it is never silently
// dropped.
func TestUnencodableValueFailsTheStream(t *testing.T) {
	t.Parallel()
	logger, logs := testLogger()
	srv := serveStream(t, &sse.Options{Logger: logger}, just(rx.Of[any]("ok", make(chan int))))
	resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	if resp.StatusCode != 200 || body != "\nid: 1\ndata: ok\n\nevent: error\nid: 2\ndata: Internal server error\n\n" {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
	if logs.String() == "" {
		t.Error("encoding failure not logged")
	}
	if _, err := sse.Encode(sse.MessageEvent{Data: func() {}}); err == nil {
		t.Error("Encode of a func succeeded")
	}
}

// A stream of *Encoded under the Disconnect policy queues the events and
// lets its writer encode them (refs.go); under the other policies they are
// encoded as they come. The bytes must be the same either way: ids in
// order, none for events with their own, the error event's after them; from
// a synchronous source and from another goroutine (a detached stream), with
// a queue small enough to fill.
func TestEncodedQueuedOrEncodedSameBytes(t *testing.T) {
	t.Parallel()
	enc, err := sse.Encode(sse.MessageEvent{Type: "pre", Data: "encoded"})
	if err != nil {
		t.Fatal(err)
	}
	encID, err := sse.Encode(sse.MessageEvent{ID: ptr("e1"), Data: "fixed"})
	if err != nil {
		t.Fatal(err)
	}
	comment, err := sse.Encode(sse.MessageEvent{Comment: new("c")})
	if err != nil {
		t.Fatal(err)
	}
	// Batches that outgrow the 8 KiB and 64 KiB buffers too.
	big, err := sse.Encode(sse.MessageEvent{Data: strings.Repeat("x", 5000)})
	if err != nil {
		t.Fatal(err)
	}
	events := []*sse.Encoded{enc, encID, nil, comment}
	for i := range 60 {
		events = append(events, enc)
		if i%3 == 0 {
			events = append(events, big)
		}
	}
	want := "\n"
	id := 1
	for _, e := range events {
		switch e {
		case enc:
			want += "event: pre\nid: " + strconv.Itoa(id) + "\ndata: encoded\n\n"
			id++
		case encID:
			want += "id: e1\ndata: fixed\n\n"
		case nil:
			want += "id: " + strconv.Itoa(id) + "\n\n"
			id++
		case comment:
			want += ": c\n\n"
		case big:
			want += "id: " + strconv.Itoa(id) + "\ndata: " + strings.Repeat("x", 5000) + "\n\n"
			id++
		}
	}
	want += "event: error\nid: " + strconv.Itoa(id) + "\ndata: Internal server error\n\n"
	boom := errors.New("boom")
	sources := map[string]func() rx.Observable[*sse.Encoded]{
		"sync": func() rx.Observable[*sse.Encoded] {
			return rx.Concat(rx.From(events), rx.Throw[*sse.Encoded](boom))
		},
		"async": func() rx.Observable[*sse.Encoded] {
			return rx.Create(func(s rx.Subscriber[*sse.Encoded]) func() {
				go func() {
					for _, e := range events {
						s.Next(e)
					}
					s.Error(boom)
				}()
				return nil
			})
		},
	}
	for name, src := range sources {
		for _, policy := range []sse.SlowClientPolicy{sse.Disconnect, sse.DropNewest} {
			t.Run(name+"/"+policy.String(), func(t *testing.T) {
				t.Parallel()
				queue := 1 << 20
				if name == "sync" {
					queue = 8 // a synchronous source is paced by its client
				}
				opts := &sse.Options{SlowClient: policy, QueueSize: queue, Logger: discard}
				srv := httptestServer(t, sse.Handler(just(src()), opts))
				_, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
				if body != want {
					t.Errorf("body =\n%q\nwant\n%q", body, want)
				}
			})
		}
	}
}
