package ssetest_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// failTB records a failure instead of failing the test, to check the kit's
// own failures.
type failTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *failTB) Helper() {}

func (f *failTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// fails runs expect, which fails through f, and returns its failure
// message, "" if it passed.
func (f *failTB) fails(expect func()) string {
	f.mu.Lock()
	f.msg = ""
	f.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		expect()
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}

func words(ws ...string) http.Handler {
	return sse.Handler(func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
		return rx.Of(ws...), nil
	}, nil)
}

func TestConnNextAndEnd(t *testing.T) {
	t.Parallel()
	srv := ssetest.NewServer(t, words("a", "b", "c"))
	f := &failTB{TB: t}
	c := ssetest.Connect(f, srv.URL)
	if ev := c.Next(); ev.Data != "a" || ev.LastEventID != "1" || ev.Type != "message" {
		t.Errorf("first event %+v", ev)
	}
	if got := c.NextData(2); fmt.Sprint(got) != "[b c]" {
		t.Errorf("then %q", got)
	}
	c.ExpectEnd()
	if msg := f.fails(func() { c.Next() }); !strings.Contains(msg, "the stream ended") {
		t.Errorf("Next after the end: %q", msg)
	}
}

func TestConnSilence(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := ssetest.NewServer(t, sse.Handler(func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
		if n.Add(1) == 1 {
			return rx.Never[string](), nil
		}
		return rx.Of("x"), nil
	}, nil))
	f := &failTB{TB: t}
	quiet := ssetest.Connect(f, srv.URL)
	quiet.ExpectNone(20 * time.Millisecond)
	quiet.Timeout = 20 * time.Millisecond
	if msg := f.fails(func() { quiet.Next() }); msg != "ssetest: no event within 20ms" {
		t.Errorf("Next on a silent stream: %q", msg)
	}
	if msg := f.fails(func() { quiet.ExpectEnd() }); msg != "ssetest: the stream did not end within 20ms" {
		t.Errorf("ExpectEnd on an open stream: %q", msg)
	}
	loud := ssetest.Connect(f, srv.URL)
	if msg := f.fails(func() { loud.ExpectNone(time.Second) }); !strings.Contains(msg, "unexpected event") {
		t.Errorf("ExpectNone with an event: %q", msg)
	}
}

func TestConnectRefused(t *testing.T) {
	t.Parallel()
	srv := ssetest.NewServer(t, http.NotFoundHandler())
	f := &failTB{TB: t}
	msg := f.fails(func() { ssetest.Connect(f, srv.URL+"/nope") })
	if !strings.Contains(msg, "status 404, want 200") || !strings.Contains(msg, "404 page not found") {
		t.Errorf("Connect to a 404: %q", msg)
	}
}

func TestWaitStreams(t *testing.T) {
	t.Parallel()
	for _, attached := range []bool{false, true} {
		t.Run(fmt.Sprint("attached=", attached), func(t *testing.T) {
			t.Parallel()
			srv := ssetest.NewServer(t, sse.Handler(func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
				return rx.Concat(rx.Of("hello"), rx.Never[string]()), nil
			}, &sse.Options{Attached: attached}))
			a, b := srv.Connect(t, "/s"), srv.Connect(t, "/s")
			a.Next()
			b.Next()
			srv.WaitStreams(t, "/s", 2)
			a.Close()
			srv.WaitStreams(t, "/s", 1)
			b.Close()
			srv.WaitStreams(t, "/s", 0)
			if srv.Requests("/s") != 2 {
				t.Errorf("requests %d", srv.Requests("/s"))
			}
		})
	}
}

func TestPostJSON(t *testing.T) {
	t.Parallel()
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/stream" {
			sse.Handler(func(http.ResponseWriter, *http.Request) (rx.Observable[string], error) {
				return rx.Of(r.Method + " " + string(b)), nil
			}, nil).ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "%s %s %s", r.Method, r.Header.Get("X-A"), b)
	})
	srv := ssetest.NewServer(t, echo)
	res := srv.PostJSON(t, "/", `{"n":1}`, "X-A", "a")
	if res.Status != 201 || res.ContentType != "application/json" || res.Body != `POST a {"n":1}` {
		t.Errorf("PostJSON: %+v", res)
	}
	c := srv.ConnectJSON(t, "/stream", `{"q":"hi"}`)
	if ev := c.Next(); ev.Data != `POST {"q":"hi"}` {
		t.Errorf("ConnectJSON: %+v", ev)
	}
}

type counter struct{ n atomic.Int32 }

func (c *counter) Subscribers() int { return int(c.n.Load()) }

func TestWaitSubscribers(t *testing.T) {
	t.Parallel()
	var c counter
	go func() {
		time.Sleep(5 * time.Millisecond)
		c.n.Store(2)
	}()
	ssetest.WaitSubscribers(t, &c, 2)
}
