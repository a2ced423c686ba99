package messages_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/examples/messages"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

const wait = 5 * time.Second

func server(t *testing.T, auth *messages.Auth) *ssetest.Server {
	return serverLogging(t, auth, nil)
}

// serverLogging is server with the router's errors logged to logger
// (slog.Default() when nil).
func serverLogging(t *testing.T, auth *messages.Auth, logger *slog.Logger) *ssetest.Server {
	hub := bus.NewMemory(nil)
	t.Cleanup(func() { hub.Close() })
	r := controller.NewRouter(&controller.Options{Logger: logger})
	r.Mount("/auth", &messages.AuthController{Auth: auth})
	r.Mount("/", messages.NewController(hub, auth))
	r.Handle("GET /ui/messages", messages.Page())
	return ssetest.NewServer(t, r)
}

func login(t *testing.T, srv *ssetest.Server, user string) string {
	t.Helper()
	got := ssetest.PostJSON(t, srv.URL+"/auth/login", fmt.Sprintf(`{"username":%q,"password":"rxsse"}`, user))
	var res messages.LoginResult
	if got.Status != 200 || json.Unmarshal([]byte(got.Body), &res) != nil || res.AccessToken == "" {
		t.Fatalf("login %s: %d %s", user, got.Status, got.Body)
	}
	return res.AccessToken
}

func post(t *testing.T, srv *ssetest.Server, token, content string) messages.Message {
	t.Helper()
	got := ssetest.PostJSON(t, srv.URL+"/messages", fmt.Sprintf(`{"content":%q}`, content), "Authorization", "Bearer "+token)
	var m messages.Message
	if got.Status != 201 || got.ContentType != "application/json; charset=utf-8" || json.Unmarshal([]byte(got.Body), &m) != nil {
		t.Fatalf("POST /messages: %d %q %s", got.Status, got.ContentType, got.Body)
	}
	return m
}

func TestLogin(t *testing.T) {
	srv := server(t, messages.NewDemoAuth([]byte("test")))
	login(t, srv, "alice")
	const wrong = `{"message":"wrong username or password","error":"Unauthorized","statusCode":401}`
	for _, tc := range []struct{ body, want string }{
		{`{"username":"alice","password":"nope"}`, wrong},
		{`{"username":"mallory","password":"rxsse"}`, wrong},
		{`{"username":"alice"}`, `{"message":["password should not be empty"],"error":"Bad Request","statusCode":400}`},
		{`{"password":"rxsse"}`, `{"message":["username should not be empty"],"error":"Bad Request","statusCode":400}`},
	} {
		got := ssetest.PostJSON(t, srv.URL+"/auth/login", tc.body)
		if got.Body != tc.want || got.ContentType != "application/json; charset=utf-8" {
			t.Errorf("login %s: %d %s, want %s", tc.body, got.Status, got.Body, tc.want)
		}
	}
}

// No token, a bad one or an expired one: 401 JSON, no stream.
// Every way to be refused is a 401, and a client error: nothing is logged
// above INFO (an anonymous client must not be able to fill the logs), the
// cause of a bad token at DEBUG only.
func TestUnauthorized(t *testing.T) {
	now := time.Now()
	auth := messages.NewDemoAuth([]byte("test"))
	auth.Now = func() time.Time { return now }
	logs := &recorder{}
	srv := serverLogging(t, auth, slog.New(logs))
	expired := login(t, srv, "alice")
	now = now.Add(25 * time.Hour)
	other := messages.NewDemoAuth([]byte("another secret"))
	forged, _ := other.Login("alice", "rxsse")

	const body = `{"message":"Unauthorized","statusCode":401}`
	for _, tc := range []struct {
		name, method, path string
		header             []string
	}{
		{"stream, no token", "GET", "/sse/event", nil},
		{"stream, empty query token", "GET", "/sse/event?access_token=", nil},
		{"stream, garbage token", "GET", "/sse/event?access_token=garbage", nil},
		{"stream, token of another secret", "GET", "/sse/event?access_token=" + forged, nil},
		{"stream, expired token", "GET", "/sse/event", []string{"Authorization", "Bearer " + expired}},
		{"stream, not a bearer", "GET", "/sse/event", []string{"Authorization", "Basic YWxpY2U6cnhzc2U="}},
		{"post, no token", "POST", "/messages", nil},
		{"post, bad token", "POST", "/messages", []string{"Authorization", "Bearer " + forged}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := append([]string{"Content-Type", "application/json", "Accept", "text/event-stream"}, tc.header...)
			got := ssetest.Do(t, tc.method, srv.URL+tc.path, `{"content":"hi"}`, h...)
			if got.Status != 401 || got.ContentType != "application/json; charset=utf-8" || got.Body != body {
				t.Errorf("%d %q %s, want 401 %s", got.Status, got.ContentType, got.Body, body)
			}
			if !slices.Contains([]string{"Bearer", `Bearer error="invalid_token"`}, got.Header.Get("WWW-Authenticate")) {
				t.Errorf("WWW-Authenticate %q", got.Header.Get("WWW-Authenticate"))
			}
		})
	}
	debug := 0
	for _, r := range logs.all() {
		if r.Level > slog.LevelInfo {
			t.Errorf("logged at %v: %s", r.Level, r.Message)
		}
		if r.Level == slog.LevelDebug {
			debug++
		}
	}
	if debug == 0 {
		t.Error("no bad token's cause logged at DEBUG")
	}
}

// recorder is a slog.Handler that keeps every record, at every level.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}

func (r *recorder) all() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.records)
}

func TestCreateBadInput(t *testing.T) {
	srv := server(t, messages.NewDemoAuth([]byte("test")))
	tok := login(t, srv, "alice")
	for _, tc := range []struct{ body, want string }{
		{`{}`, `{"message":["content should not be empty"],"error":"Bad Request","statusCode":400}`},
		{`{"content":""}`, `{"message":["content should not be empty"],"error":"Bad Request","statusCode":400}`},
		{`{"content":7}`, `{"message":["content must be a string"],"error":"Bad Request","statusCode":400}`},
	} {
		got := ssetest.PostJSON(t, srv.URL+"/messages", tc.body, "Authorization", "Bearer "+tok)
		if got.Status != 400 || got.Body != tc.want {
			t.Errorf("POST /messages %s: %d %s, want 400 %s", tc.body, got.Status, got.Body, tc.want)
		}
	}
}

func decode(t *testing.T, ev ssetest.Event) messages.Message {
	t.Helper()
	var m messages.Message
	if err := json.Unmarshal([]byte(ev.Data), &m); err != nil {
		t.Fatalf("event data %q: %v", ev.Data, err)
	}
	if m.ID != "" {
		t.Errorf("message id %q in the data: the event's id (%q) carries it", m.ID, ev.LastEventID)
	}
	m.ID = ev.LastEventID
	return m
}

// A message goes to every other logged-in user (each of their
// connections), never back to its author; the token works as a header or
// as the access_token query parameter.
func TestBroadcastToOthers(t *testing.T) {
	srv := server(t, messages.NewDemoAuth([]byte("test")))
	alice, bob, carol := login(t, srv, "alice"), login(t, srv, "bob"), login(t, srv, "carol")
	aliceS := ssetest.Connect(t, srv.URL+"/sse/event", "Authorization", "Bearer "+alice)
	bobS := ssetest.Connect(t, srv.URL+"/sse/event?access_token="+bob)
	bobS2 := ssetest.Connect(t, srv.URL+"/sse/event", "Authorization", "Bearer "+bob)
	carolS := ssetest.Connect(t, srv.URL+"/sse/event?access_token="+carol)

	sent := post(t, srv, alice, "hi <all> & 你好")
	if sent.Author != "alice" || sent.Content != "hi <all> & 你好" || sent.ID == "" || sent.CreatedAt.IsZero() {
		t.Errorf("created %+v", sent)
	}
	for name, s := range map[string]*ssetest.Conn{"bob": bobS, "bob's second tab": bobS2, "carol": carolS} {
		ev := s.NextN(1)[0]
		if got := decode(t, ev); got != sent {
			t.Errorf("%s received %+v, want %+v", name, got, sent)
		}
		// Compact JSON without HTML escaping, as Nest writes it.
		if want := fmt.Sprintf(`{"author":"alice","content":"hi <all> & 你好","createdAt":%q}`, sent.CreatedAt.Format(time.RFC3339Nano)); ev.Data != want {
			t.Errorf("%s: data %s, want %s", name, ev.Data, want)
		}
	}
	// Alice's next event is bob's reply: her own message never came back.
	reply := post(t, srv, bob, "hello alice")
	if got := decode(t, aliceS.NextN(1)[0]); got != reply {
		t.Errorf("alice received %+v, want bob's %+v", got, reply)
	}
}

// Reconnecting with Last-Event-ID replays the missed messages of others.
func TestReplay(t *testing.T) {
	srv := server(t, messages.NewDemoAuth([]byte("test")))
	alice, bob := login(t, srv, "alice"), login(t, srv, "bob")
	s := ssetest.Connect(t, srv.URL+"/sse/event?access_token="+bob)
	first := post(t, srv, alice, "one")
	last := s.NextN(1)[0].LastEventID
	s.Close()
	second := post(t, srv, alice, "two")
	post(t, srv, bob, "bob's own")
	third := post(t, srv, alice, "three")
	s = ssetest.Connect(t, srv.URL+"/sse/event?access_token="+bob, "Last-Event-ID", last)
	evs := s.NextN(2)
	if last != first.ID || decode(t, evs[0]) != second || decode(t, evs[1]) != third {
		t.Errorf("replayed %+v, want %+v and %+v", evs, second, third)
	}
}

func feed(p *browsertest.Page) []string {
	return browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll("#feed li"), (li) => li.className + " " + li.querySelector(".author").textContent + ": " + li.querySelector(".content").textContent)`)
}

// Two users log in on the page; what one posts pops up for the other.
func TestPage(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t, messages.NewDemoAuth([]byte("test")))
	alice, bob := b.NewPage(t), b.NewPage(t)
	for user, p := range map[string]*browsertest.Page{"alice": alice, "bob": bob} {
		p.Navigate(srv.URL + "/ui/messages")
		p.SetValue("#username", user)
		p.SetValue("#password", "rxsse")
		p.Click(`#login button[type="submit"]`)
		p.WaitFor(`document.getElementById("status").textContent === "listening"`, 0)
		if got := browsertest.Texts(p, "#me")[0]; got != user {
			t.Errorf("logged in as %q, want %s", got, user)
		}
	}

	alice.SetValue("#content", "你好 bob")
	alice.Click(`#post button[type="submit"]`)
	bob.WaitFor(`document.querySelectorAll("#feed li").length === 1`, 0)
	if got, want := feed(bob), []string{"other alice: 你好 bob"}; !slices.Equal(got, want) {
		t.Errorf("bob's feed %q, want %q", got, want)
	}
	if got, want := browsertest.Texts(bob, "#toasts .toast"), []string{"alice: 你好 bob"}; !slices.Equal(got, want) {
		t.Errorf("bob's pop-ups %q, want %q", got, want)
	}

	bob.SetValue("#content", "hi alice")
	bob.Click(`#post button[type="submit"]`)
	alice.WaitFor(`document.querySelectorAll("#feed li").length === 2`, 0)
	bob.WaitFor(`document.querySelectorAll("#feed li").length === 2`, 0)
	// Newest first; each sees its own message once (from the POST answer),
	// never echoed back by the stream.
	if got, want := feed(alice), []string{"other bob: hi alice", "mine alice: 你好 bob"}; !slices.Equal(got, want) {
		t.Errorf("alice's feed %q, want %q", got, want)
	}
	if got, want := feed(bob), []string{"mine bob: hi alice", "other alice: 你好 bob"}; !slices.Equal(got, want) {
		t.Errorf("bob's feed %q, want %q", got, want)
	}

	// A wrong password is refused on the page.
	carol := b.NewPage(t)
	carol.Navigate(srv.URL + "/ui/messages")
	carol.SetValue("#username", "carol")
	carol.SetValue("#password", "wrong")
	carol.Click(`#login button[type="submit"]`)
	carol.WaitFor(`document.getElementById("login-error").textContent !== ""`, 0)
	if got := browsertest.Texts(carol, "#login-error")[0]; got != "401 wrong username or password" {
		t.Errorf("carol's login error %q", got)
	}
}
