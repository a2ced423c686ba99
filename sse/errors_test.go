package sse_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/httperr"
	"github.com/rxsse/rxsse/internal/testlog"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

func testLogger() (*slog.Logger, *testlog.Buffer) { return testlog.New() }

func TestErrorsBeforeHeaders(t *testing.T) {
	t.Parallel()
	secret := errors.New("database password is hunter2")
	tests := []struct {
		name   string
		fn     sse.HandlerFunc[string]
		status int
		body   string
		logged bool
	}{
		{"handler returns an HTTP error", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, httperr.New(http.StatusNotFound, "no such stream")
		}, 404, `{"message":"no such stream","error":"Not Found","statusCode":404}`, false},
		{"wrapped HTTP error", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, fmt.Errorf("loading: %w", &httperr.Error{Status: 403, Message: "<not yours>", Err: secret})
		}, 403, `{"message":"<not yours>","error":"Forbidden","statusCode":403}`, false}, // a client error: its cause at DEBUG only
		{"server error with a cause", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, &httperr.Error{Status: 503, Message: "try again later", Err: secret}
		}, 503, `{"message":"try again later","error":"Service Unavailable","statusCode":503}`, true},
		{"validation messages", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, &httperr.Error{Status: 400, Message: []string{"id must be a number", "name should not be empty"}}
		}, 400, `{"message":["id must be a number","name should not be empty"],"error":"Bad Request","statusCode":400}`, false},
		{"HTTP error without message", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, httperr.New(http.StatusUnauthorized, "")
		}, 401, `{"message":"Unauthorized","statusCode":401}`, false},
		{"handler returns an unknown error", func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
			return rx.Observable[string]{}, secret
		}, 500, `{"statusCode":500,"message":"Internal server error"}`, true},
		{"stream fails at once", just(rx.Throw[string](httperr.New(http.StatusConflict, "taken"))),
			409, `{"message":"taken","error":"Conflict","statusCode":409}`, false},
		{"stream fails at once with an unknown error", just(rx.Throw[string](secret)),
			500, `{"statusCode":500,"message":"Internal server error"}`, true},
		{"stream panics at once", just(rx.Create(func(rx.Subscriber[string]) func() { panic("boom") })),
			500, `{"statusCode":500,"message":"Internal server error"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger, logs := testLogger()
			srv := serveStream(t, &sse.Options{Logger: logger}, tt.fn)
			resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %s\nwant %d %s", resp.StatusCode, body, tt.status, tt.body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(body, "hunter2") {
				t.Error("internal error leaked")
			}
			if got := strings.Contains(logs.String(), "hunter2") || strings.Contains(logs.String(), "boom"); got != tt.logged {
				t.Errorf("logged = %v, want %v; logs: %s", got, tt.logged, logs)
			}
		})
	}
}

func TestErrorAfterHeadersIsLogged(t *testing.T) {
	t.Parallel()
	logger, logs := testLogger()
	srv := serveStream(t, &sse.Options{Logger: logger}, just(rx.Concat(rx.Of("a"), rx.Throw[string](errors.New("disk on fire")))))
	resp, body := fetch(t, nil, http.MethodGet, srv.URL, nil)
	if resp.StatusCode != 200 || body != "\nid: 1\ndata: a\n\nevent: error\nid: 2\ndata: Internal server error\n\n" {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("error not logged: %s", logs)
	}
}

// An asynchronous failure before any event still comes after the headers
// went out ("one scheduler tick after subscribing"): it is an error event.
func TestAsyncErrorWithoutEventsIsInBand(t *testing.T) {
	t.Parallel()
	headersOut := make(chan struct{})
	srv := serveStream(t, nil, just(rx.Create(func(s rx.Subscriber[string]) func() {
		go func() {
			// Wait until the headers are surely out: the client sees them.
			<-headersOut
			s.Error(httperr.New(http.StatusGone, "bye"))
		}()
		return nil
	})))
	ctx := t.Context()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	close(headersOut)
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || b.String() != "\nevent: error\nid: 1\ndata: bye\n\n" {
		t.Errorf("got %d %q", resp.StatusCode, b.String())
	}
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{httperr.New(418, "short & stout"), `{"message":"short & stout","error":"I'm a teapot","statusCode":418}`},
		{&httperr.Error{Status: 500, Message: "x"}, `{"message":"x","error":"Internal Server Error","statusCode":500}`},
		{&httperr.Error{Status: 7}, `{"statusCode":500,"message":"Internal server error"}`},
		{&httperr.Error{Status: 413}, `{"message":"Payload Too Large","statusCode":413}`},
		{&httperr.Error{Status: 400, Message: "a\u2028b<&>"}, "{\"message\":\"a\u2028b<&>\",\"error\":\"Bad Request\",\"statusCode\":400}"},
		{statusOnly{503, "busy"}, `{"message":"busy","error":"Service Unavailable","statusCode":503}`},
		{fmt.Errorf("wrapped: %w", statusOnly{404, ""}), `{"message":"Not Found","statusCode":404}`},
	} {
		logger, _ := testLogger()
		rec := newRecorder()
		req, _ := http.NewRequest(http.MethodGet, "/", nil)
		sse.WriteError(rec, req, tt.err, logger)
		if rec.body.String() != tt.want {
			t.Errorf("WriteError(%v) = %s, want %s", tt.err, rec.body.String(), tt.want)
		}
	}
}

// statusOnly is an HTTPError of the user's own, without MarshalJSON.
type statusOnly struct {
	status int
	msg    string
}

func (e statusOnly) Error() string         { return e.msg }
func (e statusOnly) HTTPStatus() int       { return e.status }
func (e statusOnly) ClientMessage() string { return e.msg }

type recorder struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder                    { return &recorder{h: http.Header{}} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
