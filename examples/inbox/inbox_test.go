package inbox_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/examples/inbox"
	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

const wait = 5 * time.Second

func server(t *testing.T, hub bus.Hub) *ssetest.Server {
	r := controller.NewRouter(nil)
	r.Mount("/", &inbox.Controller{Hub: hub})
	r.Handle("GET /ui/inbox", inbox.Page())
	return ssetest.NewServer(t, r)
}

func newHub(t *testing.T) *bus.Memory {
	h := bus.NewMemory(nil)
	t.Cleanup(func() { h.Close() })
	return h
}

func update(t *testing.T, srv *ssetest.Server, body string) {
	t.Helper()
	got := ssetest.PostJSON(t, srv.URL+"/update", body)
	if got.Status != 200 || got.ContentType != "application/json; charset=utf-8" || got.Body != `{"code":0}` {
		t.Fatalf("POST /update %s: %d %q %s", body, got.Status, got.ContentType, got.Body)
	}
}

func data(evs []ssetest.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Data)
	}
	return out
}

func TestBadInput(t *testing.T) {
	srv := server(t, newHub(t))
	const uidEmpty = `{"message":["uid should not be empty"],"error":"Bad Request","statusCode":400}`
	for _, tc := range []struct {
		name, method, path, body string
		want                     string
	}{
		{"push without uid", "GET", "/push", "", uidEmpty},
		{"push with an empty uid", "GET", "/push?uid=", "", uidEmpty},
		{"update without uid", "POST", "/update", `{"msg":"hi"}`, uidEmpty},
		{"update without uid, isAll false", "POST", "/update", `{"msg":"hi","isAll":false}`, uidEmpty},
		{"update without msg", "POST", "/update", `{"uid":"1"}`,
			`{"message":["msg should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"update with a number uid", "POST", "/update", `{"uid":1,"msg":"hi"}`,
			`{"message":["uid must be a string"],"error":"Bad Request","statusCode":400}`},
		{"update with a string isAll", "POST", "/update", `{"msg":"hi","isAll":"yes"}`,
			`{"message":["isAll must be a boolean value","uid should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"update with bad JSON", "POST", "/update", `{"uid":`,
			`{"message":"request body is not valid JSON: unexpected end of input","error":"Bad Request","statusCode":400}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ssetest.Do(t, tc.method, srv.URL+tc.path, tc.body, "Content-Type", "application/json")
			if got.Status != 400 || got.ContentType != "application/json; charset=utf-8" || got.Body != tc.want {
				t.Errorf("%s %s %s: %d %q %s\nwant 400 %s", tc.method, tc.path, tc.body, got.Status, got.ContentType, got.Body, tc.want)
			}
		})
	}
}

// Each connection gets the welcome, then its user's messages and the
// broadcasts; two tabs of one user both get them.
func TestPush(t *testing.T) {
	srv := server(t, newHub(t))
	one, oneAgain, two := ssetest.Connect(t, srv.URL+"/push?uid=1"), ssetest.Connect(t, srv.URL+"/push?uid=1"), ssetest.Connect(t, srv.URL+"/push?uid=2")
	var mark string // nothing published yet: every welcome has the hub's start
	for _, s := range []*ssetest.Conn{one, oneAgain, two} {
		ev := s.NextN(1)[0]
		if mark == "" {
			mark = ev.LastEventID
		}
		if !eventEqual(ev, ssetest.Event{Type: "message", Data: "站内信链接成功!", LastEventID: mark}) || mark == "" {
			t.Fatalf("first event %+v, want the welcome with the hub's start mark", ev)
		}
	}
	update(t, srv, `{"uid":"1","msg":"hello","isAll":false}`)
	update(t, srv, `{"msg":"everyone","isAll":true}`)
	update(t, srv, `{"uid":"2","msg":"two","isAll":false}`)
	update(t, srv, `{"uid":"3","msg":"nobody listens"}`)
	update(t, srv, `{"uid":"2","msg":"all, from 2","isAll":true}`)

	wantOne := []string{`{"msg":"1的消息>>hello","uid":"1"}`, `{"msg":"给所有人的消息>>everyone"}`, `{"msg":"给所有人的消息>>all, from 2","uid":"2"}`}
	wantTwo := []string{`{"msg":"给所有人的消息>>everyone"}`, `{"msg":"2的消息>>two","uid":"2"}`, `{"msg":"给所有人的消息>>all, from 2","uid":"2"}`}
	var ids []string
	for name, c := range map[string]struct {
		s    *ssetest.Conn
		want []string
	}{"uid 1": {one, wantOne}, "uid 1, second tab": {oneAgain, wantOne}, "uid 2": {two, wantTwo}} {
		evs := c.s.NextN(3)
		if got := data(evs); !slices.Equal(got, c.want) {
			t.Errorf("%s received %q, want %q", name, got, c.want)
		}
		for _, ev := range evs {
			ids = append(ids, ev.LastEventID)
		}
	}
	// Four of the five messages were received, each with one id whoever
	// receives it.
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) != 4 {
		t.Errorf("ids %q: want 4 distinct", ids)
	}
}

// The wire of a first connection: the welcome's id is the bus's start mark,
// the id of the latest message published (to anyone), so that the client
// resumes from there; messages carry the bus's ids.
func TestPushWire(t *testing.T) {
	hub := newHub(t)
	srv := server(t, hub)
	before, err := hub.Publish(t.Context(), bus.ToUser("8"), "", []byte(`{"msg":"for 8"}`))
	if err != nil {
		t.Fatal(err)
	}
	s := ssetest.Connect(t, srv.URL+"/push?uid=7")
	if ev := s.NextN(1)[0]; !eventEqual(ev, ssetest.Event{Type: "message", Data: "站内信链接成功!", LastEventID: before}) {
		t.Fatalf("welcome %+v, want the id %s of the latest message", ev, before)
	}
	id, err := hub.Publish(t.Context(), bus.ToUser("7"), "", []byte(`{"msg":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	ev := s.NextN(1)[0]
	if ev.LastEventID != id || ev.Data != `{"msg":"x"}` {
		t.Errorf("event %+v, want id %s", ev, id)
	}
}

// Closing a tab unregisters it: after many opened and closed connections
// of one user, a message arrives once, and the hub holds one subscription.
// (The seed's "duplicate messages" bug.)
func TestNothingLeftRegistered(t *testing.T) {
	hub := newHub(t)
	srv := server(t, hub)
	for range 5 {
		s := ssetest.Connect(t, srv.URL+"/push?uid=1")
		s.NextN(1)
		s.Close()
	}
	srv.WaitStreams(t, "/push", 0)
	if n := hub.Subscribers(); n != 0 {
		t.Fatalf("%d subscriptions left after every tab closed", n)
	}
	s := ssetest.Connect(t, srv.URL+"/push?uid=1")
	s.NextN(1)
	update(t, srv, `{"uid":"1","msg":"once"}`)
	update(t, srv, `{"uid":"1","msg":"twice?"}`)
	if got, want := data(s.NextN(2)), []string{`{"msg":"1的消息>>once","uid":"1"}`, `{"msg":"1的消息>>twice?","uid":"1"}`}; !slices.Equal(got, want) {
		t.Errorf("received %q, want %q", got, want)
	}
	if n := hub.Subscribers(); n != 1 {
		t.Errorf("%d subscriptions, want 1", n)
	}
}

// A client reconnecting with Last-Event-ID gets the welcome (keeping its
// id), then exactly what it missed, then the live messages.
func TestReplay(t *testing.T) {
	srv := server(t, newHub(t))
	s := ssetest.Connect(t, srv.URL+"/push?uid=1")
	s.NextN(1)
	update(t, srv, `{"uid":"1","msg":"m1"}`)
	last := s.NextN(1)[0].LastEventID
	s.Close()
	update(t, srv, `{"uid":"1","msg":"m2"}`)
	update(t, srv, `{"uid":"2","msg":"not for 1"}`)
	update(t, srv, `{"msg":"m3","isAll":true}`)

	s = ssetest.Connect(t, srv.URL+"/push?uid=1", "Last-Event-ID", last)
	welcome := s.NextN(1)[0]
	if welcome.Data != "站内信链接成功!" || welcome.LastEventID != last {
		t.Errorf("welcome %+v, want id %s kept", welcome, last)
	}
	update(t, srv, `{"uid":"1","msg":"m4"}`)
	want := []string{`{"msg":"1的消息>>m2","uid":"1"}`, `{"msg":"给所有人的消息>>m3"}`, `{"msg":"1的消息>>m4","uid":"1"}`}
	if got := data(s.NextN(3)); !slices.Equal(got, want) {
		t.Errorf("after reconnecting: %q, want %q", got, want)
	}
}

// After a restart of an in-memory instance the history is gone and ids
// start a new epoch: an id from before never names a message after, so the
// reconnecting client is told it missed messages instead of being given
// the wrong ones.
func TestRestartedMemoryHub(t *testing.T) {
	before := newHub(t)
	srv := server(t, before)
	s := ssetest.Connect(t, srv.URL+"/push?uid=1")
	s.NextN(1)
	for i := range 3 {
		update(t, srv, fmt.Sprintf(`{"uid":"1","msg":"before %d"}`, i))
	}
	evs := s.NextN(3)
	oldIDs := []string{evs[0].LastEventID, evs[1].LastEventID, evs[2].LastEventID}

	after := newHub(t) // the restarted instance
	srv2 := server(t, after)
	for i := range 3 {
		update(t, srv2, fmt.Sprintf(`{"uid":"1","msg":"after %d"}`, i))
	}
	latest, err := after.Publish(t.Context(), bus.ToUser("2"), "", []byte(`{"msg":"for 2"}`))
	if err != nil {
		t.Fatal(err)
	}
	s2 := ssetest.Connect(t, srv2.URL+"/push?uid=1", "Last-Event-ID", oldIDs[0])
	got := s2.NextN(2)
	want := []ssetest.Event{
		{Type: "message", Data: "站内信链接成功!", LastEventID: oldIDs[0]},
		// The stale id is replaced by the start mark of the live feed.
		{Type: "message", Data: "站内信已重新连接,断开期间的消息无法补发", LastEventID: latest},
	}
	if !slices.EqualFunc(got, want, eventEqual) {
		t.Fatalf("after the restart: %+v, want %+v", got, want)
	}
	id, err := after.Publish(t.Context(), bus.ToUser("1"), "", []byte(`{"msg":"live"}`))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(oldIDs, id) {
		t.Errorf("id %s of the restarted hub repeats one from before %q", id, oldIDs)
	}
	if ev := s2.NextN(1)[0]; ev.Data != `{"msg":"live"}` || ev.LastEventID != id {
		t.Errorf("live event %+v, want id %s", ev, id)
	}
}

func eventEqual(a, b ssetest.Event) bool {
	return a.Type == b.Type && a.Data == b.Data && a.LastEventID == b.LastEventID
}

func texts(p *browsertest.Page) []string { return browsertest.Texts(p, "#messages .text") }

// Two users in two isolated browser contexts, the first with two tabs: each
// sees its own messages and the broadcasts, every tab of a user sees them,
// and closing a tab unregisters it.
func TestPage(t *testing.T) {
	b := browsertest.Shared(t)
	hub := newHub(t)
	srv := server(t, hub)
	one := b.NewPage(t)
	one.Navigate(srv.URL + "/ui/inbox?uid=1")
	oneTab := one.NewTab(t)
	oneTab.Navigate(srv.URL + "/ui/inbox?uid=1")
	two := b.NewPage(t)
	two.Navigate(srv.URL + "/ui/inbox?uid=2")
	pages := map[string]*browsertest.Page{"uid 1": one, "uid 1, second tab": oneTab, "uid 2": two}
	for _, p := range pages {
		p.WaitFor(`document.querySelectorAll("#messages .text").length === 1`, 0)
	}

	// uid 2 sends to uid 1 with the form, then a broadcast.
	two.SetValue("#to", "1")
	two.SetValue("#msg", "你好")
	two.Click(`#send button[type="submit"]`)
	two.WaitFor(`document.getElementById("sent").textContent === "200 {\"code\":0}"`, 0)
	two.Click("#all")
	two.SetValue("#msg", "大家好")
	two.Click(`#send button[type="submit"]`)
	two.WaitFor(`document.querySelectorAll("#messages .text").length === 2`, 0)

	want := map[string][]string{
		"uid 1":             {"站内信链接成功!", "1的消息>>你好", "给所有人的消息>>大家好"},
		"uid 1, second tab": {"站内信链接成功!", "1的消息>>你好", "给所有人的消息>>大家好"},
		"uid 2":             {"站内信链接成功!", "给所有人的消息>>大家好"},
	}
	for name, p := range pages {
		p.WaitFor(fmt.Sprintf(`document.querySelectorAll("#messages .text").length >= %d`, len(want[name])), 0)
		if got := texts(p); !slices.Equal(got, want[name]) {
			t.Errorf("%s shows %q, want %q", name, got, want[name])
		}
	}
	if got := browsertest.Texts(one, "#badge")[0]; got != "3" {
		t.Errorf("uid 1's badge %q, want 3", got)
	}

	oneTab.Close()
	srv.WaitStreams(t, "/push", 2)
	if n := hub.Subscribers(); n != 2 {
		t.Errorf("%d subscriptions after closing a tab, want 2", n)
	}
}
