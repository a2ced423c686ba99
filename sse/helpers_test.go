package sse_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// serveStream starts a loopback server answering every request with the
// stream made by fn.
func serveStream[T any](t *testing.T, opts *sse.Options, fn sse.HandlerFunc[T]) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(sse.Handler(fn, opts))
	t.Cleanup(srv.Close)
	return srv
}

// just is a HandlerFunc that returns o.
func just[T any](o rx.Observable[T]) sse.HandlerFunc[T] {
	return func(http.ResponseWriter, *http.Request) (rx.Observable[T], error) { return o, nil }
}

// fetch sends a request and reads the whole response.
func fetch(t *testing.T, client *http.Client, method, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func ptr[T any](v T) *T { return &v }

func httptestServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// discard is a logger for examples that log on purpose.
var discard = slog.New(slog.DiscardHandler)

// numberedEvents is the wire form of the events with these automatic ids,
// each with data "e<id>", as the slow-client tests emit them.
func numberedEvents(ids ...int) string {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "id: %d\ndata: e%d\n\n", id, id)
	}
	return b.String()
}

// numberedData is the body of a stream of the given int values, with
// automatic ids from 1.
func numberedData(values ...int) string {
	var b strings.Builder
	for i, v := range values {
		fmt.Fprintf(&b, "id: %d\ndata: %d\n\n", i+1, v)
	}
	return b.String()
}
