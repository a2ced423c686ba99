package hello_test

import (
	"context"
	"io"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/examples/hello"
	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse/client"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func server(t *testing.T, period time.Duration) *ssetest.Server {
	r := controller.NewRouter(nil)
	r.Mount("/", &hello.Controller{Period: period})
	r.Handle("GET /ui/hello", hello.Page())
	return ssetest.NewServer(t, r)
}

// The wire is Nest's, byte for byte: the SSE headers, a first LF, then
// events with automatic ids.
func TestStreamWire(t *testing.T) {
	srv := server(t, time.Millisecond)
	s, err := ssetest.Open(t.Context(), nil, srv.URL+"/sse", nil) // raw: the test reads the body's bytes
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "private, no-cache, no-store, must-revalidate, max-age=0, no-transform",
		"Connection":        "keep-alive",
		"X-Accel-Buffering": "no",
	} {
		if got := s.Response.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	want := "\n" +
		"id: 1\ndata: {\"hello\":\"world\"}\n\n" +
		"id: 2\ndata: {\"hello\":\"world\"}\n\n" +
		"id: 3\ndata: {\"hello\":\"world\"}\n\n"
	got := make([]byte, len(want))
	if _, err := io.ReadFull(s.Response.Body, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("body:\n%q\nwant\n%q", got, want)
	}
}

// One event a second, the first after a second, forever: checked on the
// fake clock of a synctest bubble with the real period.
func TestStreamPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		obs, err := (&hello.Controller{}).Stream(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var at []time.Duration
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		err = rx.ForEach(ctx, rx.Take(obs, 3), func(ev hello.Greeting) {
			if ev != (hello.Greeting{Hello: "world"}) {
				t.Errorf("event %+v", ev)
			}
			at = append(at, time.Since(start))
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}; !slices.Equal(at, want) {
			t.Errorf("events at %v, want %v", at, want)
		}
	})
}

// The page lists every event with its id.
func TestPage(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t, 20*time.Millisecond)
	p := b.NewPage(t)
	p.Navigate(srv.URL + "/ui/hello")
	data := browsertest.WaitTexts(p, "#events .data", 3, 0)[:3]
	ids := browsertest.Texts(p, "#events .id")[:3]
	if want := []string{`{"hello":"world"}`, `{"hello":"world"}`, `{"hello":"world"}`}; !slices.Equal(data, want) {
		t.Errorf("data %q, want %q", data, want)
	}
	if want := []string{"1", "2", "3"}; !slices.Equal(ids, want) {
		t.Errorf("ids %q, want %q", ids, want)
	}
	if got := browsertest.Texts(p, "#status")[0]; got != "open" {
		t.Errorf("status %q, want open", got)
	}
}

// A Go service reads the stream with sse/client, as an Observable: taking
// three greetings ends the subscription, its connection, and the server's
// stream.
func TestGoClient(t *testing.T) {
	srv := server(t, time.Millisecond)
	greetings := client.Stream[hello.Greeting](srv.URL+"/sse", &client.Options{Client: srv.Client()})
	got, err := rx.Collect(t.Context(), rx.Take(greetings, 3))
	if want := slices.Repeat([]hello.Greeting{{Hello: "world"}}, 3); err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
	srv.WaitStreams(t, "/sse", 0)
}
