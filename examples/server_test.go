package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

const wait = 10 * time.Second

// instance is one running demo server that a test can stop and start again
// on the same address, as an operator restarts a process.
type instance struct {
	t      *testing.T
	cfg    config
	tune   tuning
	addr   string
	app    *app
	logger *slog.Logger
	cancel context.CancelFunc
	done   chan error
}

func startInstance(t *testing.T, cfg config, tune tuning) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startInstanceOn(t, ln, cfg, tune, nil)
}

// startInstanceOn starts an instance on ln, logging to logger (the test's
// output, WARN and above, when nil).
func startInstanceOn(t *testing.T, ln net.Listener, cfg config, tune tuning, logger *slog.Logger) *instance {
	t.Helper()
	i := &instance{t: t, cfg: cfg, tune: tune, addr: ln.Addr().String(), logger: logger}
	if i.logger == nil {
		i.logger = testLogger(t)
	}
	i.start(ln)
	t.Cleanup(i.stop)
	return i
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func (i *instance) start(ln net.Listener) {
	i.t.Helper()
	a, err := newApp(i.t.Context(), i.cfg, i.tune, i.logger)
	if err != nil {
		ln.Close()
		i.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	i.app, i.cancel, i.done = a, cancel, make(chan error, 1)
	go func() { i.done <- serve(ctx, ln, a, i.cfg, i.logger) }()
}

// stop ends the instance's streams, stops serving and closes its bus.
func (i *instance) stop() {
	if i.cancel == nil {
		return
	}
	i.cancel()
	i.cancel = nil
	if err := <-i.done; err != nil {
		i.t.Errorf("serve: %v", err)
	}
	if err := i.app.Close(); err != nil {
		i.t.Errorf("closing the bus: %v", err)
	}
	// The client's kept-alive connections to the stopped server are dead;
	// a POST on one would fail rather than be retried.
	http.DefaultClient.CloseIdleConnections()
}

// restart starts the instance again on its address.
func (i *instance) restart() {
	i.t.Helper()
	ln, err := net.Listen("tcp", i.addr)
	if err != nil {
		i.t.Fatal(err)
	}
	i.start(ln)
}

func (i *instance) url() string {
	if i.cfg.TLS {
		return "https://" + i.addr
	}
	return "http://" + i.addr
}

// The command: it prints the URL, serves every example, and on
// cancellation ends the open streams and returns.
func TestRun(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, config{Addr: "127.0.0.1:0", JWTSecret: demoSecret}, pw, testLogger(t))
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`^rxsse demo on (http://127\.0\.0\.1:\d+) \(in-memory bus\); Ctrl-C stops it\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("printed %q", line)
	}
	base := m[1]

	index := ssetest.Do(t, "GET", base+"/", "")
	if index.Status != 200 || index.ContentType != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d %q", index.Status, index.ContentType)
	}
	for _, page := range []string{"hello", "location", "notify", "inbox", "messages"} {
		if !strings.Contains(index.Body, `href="/ui/`+page+`"`) {
			t.Errorf("the index does not link /ui/%s", page)
		}
		got := ssetest.Do(t, "GET", base+"/ui/"+page, "")
		if got.Status != 200 || got.ContentType != "text/html; charset=utf-8" || !strings.Contains(got.Body, "<title>"+page+" · rxsse</title>") {
			t.Errorf("GET /ui/%s: %d %q", page, got.Status, got.ContentType)
		}
	}

	s := ssetest.Connect(t, base+"/sse")
	s.NextN(1)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("run did not return after cancellation")
	}
	s.ExpectEnd() // the open stream ended cleanly
}

// Every route of every example is mounted, at the articles' paths.
func TestDemoRoutes(t *testing.T) {
	i := startInstance(t, config{JWTSecret: demoSecret}, tuning{})
	u := i.url()
	for _, path := range []string{"/sse", "/location/sse", "/notify/stream", "/push?uid=1"} {
		s := ssetest.Connect(t, u+path)
		s.NextN(1)
		s.Close()
	}
	for _, tc := range []struct {
		method, path, body, want string
		status                   int
	}{
		{"POST", "/location", `{"x":1,"y":2}`, `ok`, 201},
		{"POST", "/update", `{"uid":"1","msg":"hi"}`, `{"code":0}`, 200},
		{"POST", "/messages", `{"content":"hi"}`, `{"message":"Unauthorized","statusCode":401}`, 401},
		{"GET", "/sse/event", ``, `{"message":"Unauthorized","statusCode":401}`, 401},
		{"POST", "/auth/login", `{"username":"bob","password":"nope"}`, `{"message":"wrong username or password","error":"Unauthorized","statusCode":401}`, 401},
		{"GET", "/nope", ``, `{"message":"Cannot GET /nope","error":"Not Found","statusCode":404}`, 404},
	} {
		got := ssetest.Do(t, tc.method, u+tc.path, tc.body, "Content-Type", "application/json")
		if got.Status != tc.status || got.Body != tc.want {
			t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, got.Status, got.Body, tc.status, tc.want)
		}
	}
	got := ssetest.PostJSON(t, u+"/auth/login", `{"username":"carol","password":"rxsse"}`)
	if got.Status != 200 || !strings.HasPrefix(got.Body, `{"access_token":"ey`) {
		t.Errorf("login: %d %s", got.Status, got.Body)
	}
}

// An in-memory instance restarted: the client's Last-Event-ID from before
// names nothing in the new epoch, so it is told that it missed messages
// (with the new hub's start mark as id), then gets the live ones.
func TestMemoryRestart(t *testing.T) {
	i := startInstance(t, config{JWTSecret: demoSecret}, tuning{})
	s := ssetest.Connect(t, i.url()+"/push?uid=1")
	s.NextN(1)
	ssetest.PostJSON(t, i.url()+"/update", `{"uid":"1","msg":"before"}`)
	last := s.NextN(1)[0].LastEventID
	i.stop()
	s.ExpectEnd() // with the server
	i.restart()
	ssetest.PostJSON(t, i.url()+"/update", `{"uid":"1","msg":"after, missed"}`)
	s = ssetest.Connect(t, i.url()+"/push?uid=1", "Last-Event-ID", last)
	got := s.NextN(2)
	ssetest.PostJSON(t, i.url()+"/update", `{"uid":"1","msg":"live"}`)
	got = append(got, s.NextN(1)...)
	want := []ssetest.Event{
		{Type: "message", Data: "站内信链接成功!", LastEventID: last},
		{Type: "message", Data: "站内信已重新连接,断开期间的消息无法补发"},
		{Type: "message", Data: `{"msg":"1的消息>>live","uid":"1"}`},
	}
	for k := range want {
		if got[k].Data != want[k].Data || (k < 1 && got[k].LastEventID != want[k].LastEventID) {
			t.Errorf("event %d: %+v, want %+v", k, got[k], want[k])
		}
	}
	if id := got[2].LastEventID; id == last || id == "" {
		t.Errorf("the live message's id %q, the id from before the restart %q", id, last)
	}
	// Ids of the restarted hub are "<epoch>-<n>": the mark is at the one
	// message published before the reconnection, the live one comes next.
	epoch, _, _ := strings.Cut(got[2].LastEventID, "-")
	if mark := got[1].LastEventID; mark != epoch+"-1" || got[2].LastEventID != epoch+"-2" {
		t.Errorf("ids %q then %q, want %s-1 (the start mark) then %s-2", mark, got[2].LastEventID, epoch, epoch)
	}
}
