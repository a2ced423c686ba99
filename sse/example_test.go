package sse_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// get prints the body of a GET, showing line ends.
func get(url string) {
	resp, err := http.Get(url)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Print(strings.ReplaceAll(string(b), "\n", "↵\n"))
}

func Example() {
	ticks := sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
		return rx.Map(rx.Take(rx.Interval(time.Millisecond), 2), func(n int) sse.MessageEvent {
			return sse.MessageEvent{Data: map[string]any{"hello": "world", "n": n}}
		}), nil
	}, nil)
	srv := httptest.NewServer(ticks)
	defer srv.Close()
	get(srv.URL)
	// Output:
	// 200 OK
	// ↵
	// id: 1↵
	// data: {"hello":"world","n":0}↵
	// ↵
	// id: 2↵
	// data: {"hello":"world","n":1}↵
	// ↵
}

func ExampleMessageEvent() {
	srv := httptest.NewServer(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
		retry := 3 * time.Second
		custom := "custom"
		return rx.Of(
			sse.MessageEvent{Data: "a"},
			sse.MessageEvent{Type: "update", ID: &custom, Retry: &retry, Comment: new("two\nlines"), Data: "b1\nb2"},
			sse.MessageEvent{Comment: new("keep-alive")}, // comment-only: no id
			sse.MessageEvent{Data: "c"}, // the automatic ids go on
		), nil
	}, nil))
	defer srv.Close()
	get(srv.URL)
	// Output:
	// 200 OK
	// ↵
	// id: 1↵
	// data: a↵
	// ↵
	// event: update↵
	// id: custom↵
	// retry: 3000↵
	// : two↵
	// : lines↵
	// data: b1↵
	// data: b2↵
	// ↵
	// : keep-alive↵
	// ↵
	// id: 2↵
	// data: c↵
	// ↵
}

// Errors before the first event are HTTP errors in Nest's shape; after it,
// an "error" event ends the stream.
func ExampleHandler_errors() {
	mux := http.NewServeMux()
	mux.Handle("/missing", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Observable[string]{}, httperr.New(http.StatusNotFound, "no such stream")
	}, nil))
	mux.Handle("/failing", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Concat(rx.Of("first"), rx.Throw[string](httperr.New(http.StatusGone, "stream closed"))), nil
	}, nil))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get(srv.URL + "/missing")
	fmt.Println()
	get(srv.URL + "/failing")
	// Output:
	// 404 Not Found
	// {"message":"no such stream","error":"Not Found","statusCode":404}
	// 200 OK
	// ↵
	// id: 1↵
	// data: first↵
	// ↵
	// event: error↵
	// id: 2↵
	// data: stream closed↵
	// ↵
}

// Serve runs a stream after the caller's own checks. With the request from
// WithStreamContext, the stream may detach from the handler once it starts.
func ExampleServe() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = sse.WithStreamContext(r)
		if r.URL.Query().Get("token") != "secret" {
			sse.WriteError(w, r, httperr.New(http.StatusUnauthorized, "bad token"), nil)
			return
		}
		sse.Serve(w, r, rx.Of(1, 2), 0, nil)
	}))
	defer srv.Close()
	get(srv.URL + "?token=nope")
	fmt.Println()
	get(srv.URL + "?token=secret")
	// Output:
	// 401 Unauthorized
	// {"message":"bad token","error":"Unauthorized","statusCode":401}
	// 200 OK
	// ↵
	// id: 1↵
	// data: 1↵
	// ↵
	// id: 2↵
	// data: 2↵
	// ↵
}

// Encode an event once and broadcast it: each connection adds only its own
// automatic id.
func ExampleEncode() {
	news := rx.NewSubject[*sse.Encoded]()
	srv := httptest.NewServer(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[*sse.Encoded], error) {
		return news.AsObservable(), nil
	}, nil))
	defer srv.Close()

	var clients []*ssetest.Stream
	for range 2 {
		st, err := ssetest.Open(context.Background(), nil, srv.URL, nil)
		if err != nil {
			panic(err)
		}
		clients = append(clients, st)
	}
	for _, headline := range []string{"rain", "sun"} {
		ev, err := sse.Encode(sse.MessageEvent{Type: "news", Data: headline})
		if err != nil {
			panic(err)
		}
		news.Next(ev)
	}
	news.Complete()
	for i, st := range clients {
		evs, _ := st.ReadAll()
		for _, ev := range evs {
			fmt.Println(i, ev.Type, ev.LastEventID, ev.Data)
		}
		st.Close()
	}
	// Output:
	// 0 news 1 rain
	// 0 news 2 sun
	// 1 news 1 rain
	// 1 news 2 sun
}

func ExampleLastEventID() {
	srv := httptest.NewServer(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
		return rx.Of("resuming after " + sse.LastEventID(r)), nil
	}, nil))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Last-Event-ID", "41")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	evs, _ := ssetest.NewReader(resp.Body).ReadAll()
	fmt.Println(evs[0].Data)
	// A browser's EventSource cannot set headers: the query works too.
	get(srv.URL + "?lastEventId=7")
	// Output:
	// resuming after 41
	// 200 OK
	// ↵
	// id: 1↵
	// data: resuming after 7↵
	// ↵
}

func ExampleWriteError() {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	err := &httperr.Error{Status: http.StatusBadRequest, Message: []string{"limit must be a number"}}
	sse.WriteError(rec, req, fmt.Errorf("binding: %w", err), nil)
	fmt.Println(rec.Code, rec.Body.String())

	rec = httptest.NewRecorder()
	sse.WriteError(rec, req, errors.New("internal details"), discard)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 400 {"message":["limit must be a number"],"error":"Bad Request","statusCode":400}
	// 500 {"statusCode":500,"message":"Internal server error"}
}
