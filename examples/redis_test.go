package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/sse/ssetest"
)

var streams atomic.Int64

// redisConfig returns the configuration of instances sharing a Redis
// stream of their own, deleted when the test ends.
func redisConfig(t *testing.T) (config, tuning) {
	url := testenv.RedisURL(t)
	key := fmt.Sprintf("rxsse:test:examples:%s:%d:%d", t.Name(), time.Now().UnixNano(), streams.Add(1))
	t.Cleanup(func() {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Error(err)
			return
		}
		c := redis.NewClient(opts)
		defer c.Close()
		c.Del(context.Background(), key)
	})
	return config{RedisURL: url, JWTSecret: "shared by the instances"}, tuning{RedisStream: key}
}

func texts(evs []ssetest.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Data)
	}
	return out
}

// Two instances on one Redis: pushes posted on one reach the clients of the
// other, a client moving between them with its Last-Event-ID misses
// nothing, and a token issued by one is accepted by the other.
func TestTwoInstances(t *testing.T) {
	cfg, tune := redisConfig(t)
	a, b := startInstance(t, cfg, tune), startInstance(t, cfg, tune)

	onB := ssetest.Connect(t, b.url()+"/push?uid=1")
	onB.NextN(1)
	ssetest.PostJSON(t, a.url()+"/update", `{"uid":"1","msg":"from a"}`)
	ssetest.PostJSON(t, a.url()+"/update", `{"uid":"2","msg":"not for 1"}`)
	ssetest.PostJSON(t, b.url()+"/update", `{"msg":"everyone, from b","isAll":true}`)
	want := []string{`{"msg":"1的消息>>from a","uid":"1"}`, `{"msg":"给所有人的消息>>everyone, from b"}`}
	evs := onB.NextN(2)
	if got := texts(evs); !slices.Equal(got, want) {
		t.Fatalf("client on b received %q, want %q", got, want)
	}

	// The client leaves b and comes back on a, with its Last-Event-ID.
	last := evs[1].LastEventID
	onB.Close()
	ssetest.PostJSON(t, b.url()+"/update", `{"uid":"1","msg":"missed 1"}`)
	ssetest.PostJSON(t, a.url()+"/update", `{"uid":"1","msg":"missed 2"}`)
	onA := ssetest.Connect(t, a.url()+"/push?uid=1", "Last-Event-ID", last)
	if w := onA.NextN(1)[0]; w.Data != "站内信链接成功!" || w.LastEventID != last {
		t.Errorf("welcome on a: %+v", w)
	}
	ssetest.PostJSON(t, b.url()+"/update", `{"uid":"1","msg":"live"}`)
	want = []string{`{"msg":"1的消息>>missed 1","uid":"1"}`, `{"msg":"1的消息>>missed 2","uid":"1"}`, `{"msg":"1的消息>>live","uid":"1"}`}
	if got := texts(onA.NextN(3)); !slices.Equal(got, want) {
		t.Errorf("after moving to a: %q, want %q", got, want)
	}

	// messages: bob listens on b with a token from a; alice posts on a.
	token := func(i *instance, user string) string {
		got := ssetest.PostJSON(t, i.url()+"/auth/login", fmt.Sprintf(`{"username":%q,"password":"rxsse"}`, user))
		var res struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal([]byte(got.Body), &res); err != nil || got.Status != 200 {
			t.Fatalf("login on %s: %d %s", i.addr, got.Status, got.Body)
		}
		return res.AccessToken
	}
	bob := ssetest.Connect(t, b.url()+"/sse/event?access_token="+token(a, "bob"))
	got := ssetest.PostJSON(t, a.url()+"/messages", `{"content":"hello from a"}`, "Authorization", "Bearer "+token(a, "alice"))
	if got.Status != 201 {
		t.Fatalf("POST /messages on a: %d %s", got.Status, got.Body)
	}
	// The event is the posted message, its id as the event's id.
	var posted map[string]any
	if err := json.Unmarshal([]byte(got.Body), &posted); err != nil {
		t.Fatal(err)
	}
	id := posted["id"]
	delete(posted, "id")
	wantData, _ := json.Marshal(posted)
	ev := bob.NextN(1)[0]
	var received map[string]any
	if err := json.Unmarshal([]byte(ev.Data), &received); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(received); string(again) != string(wantData) || ev.LastEventID != id {
		t.Errorf("bob on b received %s (id %s), want %s (id %s)", ev.Data, ev.LastEventID, wantData, id)
	}
}

// publisher posts inbox messages to one instance at a steady pace until
// stopped, as other users and services keep doing while an instance
// restarts.
type publisher struct {
	mu      sync.Mutex
	n       int
	err     error
	changed chan struct{}
	stop    context.CancelFunc
	done    chan struct{}
}

func startPublisher(url string, every time.Duration) *publisher {
	ctx, cancel := context.WithCancel(context.Background())
	p := &publisher{changed: make(chan struct{}), stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			p.mu.Lock()
			n := p.n
			p.mu.Unlock()
			req, _ := http.NewRequestWithContext(ctx, "POST", url+"/update", strings.NewReader(fmt.Sprintf(`{"uid":"1","msg":"m%d"}`, n)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if ctx.Err() != nil {
				return
			}
			p.mu.Lock()
			if err == nil && resp.StatusCode != 200 {
				err = fmt.Errorf("POST /update: %s", resp.Status)
			}
			if err != nil {
				p.err = err
			} else {
				p.n++
			}
			close(p.changed)
			p.changed = make(chan struct{})
			p.mu.Unlock()
			if resp != nil {
				resp.Body.Close()
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

// waitFor waits until n messages have been published.
func (p *publisher) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(wait)
	for {
		p.mu.Lock()
		got, err, changed := p.n, p.err, p.changed
		p.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("%d messages published, waiting for %d", got, n)
		}
	}
}

// end stops publishing and returns how many messages were published.
func (p *publisher) end(t *testing.T) int {
	p.stop()
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.n
}

// The inbox page is connected to instance a while messages keep being
// published through instance b. a restarts: the page's EventSource
// reconnects by itself with its Last-Event-ID and shows every message
// exactly once, in order, those published while a was down included.
func TestPageSurvivesRestart(t *testing.T) {
	cfg, tune := redisConfig(t)
	br := browsertest.Shared(t)
	b := startInstance(t, cfg, tune)
	tune.Retry = 100 * time.Millisecond // the page reconnects quickly
	a := startInstance(t, cfg, tune)

	page := br.NewPage(t)
	page.Navigate(a.url() + "/ui/inbox?uid=1")
	page.WaitFor(`document.querySelectorAll("#messages .text").length === 1`, 0)

	pub := startPublisher(b.url(), 20*time.Millisecond)
	defer pub.end(t)
	page.WaitFor(`document.querySelectorAll("#messages .text").length >= 4`, 0) // the welcome and 3 messages

	a.stop()
	page.WaitFor(`document.getElementById("status").textContent !== "open as uid 1"`, 0)
	down := func() int { pub.mu.Lock(); defer pub.mu.Unlock(); return pub.n }()
	pub.waitFor(t, down+5) // published while a is down
	a.restart()
	page.WaitFor(`document.getElementById("status").textContent === "open as uid 1"`, 0)
	back := func() int { pub.mu.Lock(); defer pub.mu.Unlock(); return pub.n }()
	pub.waitFor(t, back+3) // and after it is back
	n := pub.end(t)

	page.WaitFor(fmt.Sprintf(`Array.from(document.querySelectorAll("#messages .text")).some((e) => e.textContent === "1的消息>>m%d")`, n-1), 0)
	var got []string
	welcomes := 0
	for _, s := range browsertest.Texts(page, "#messages .text") {
		if s == "站内信链接成功!" {
			welcomes++
			continue
		}
		got = append(got, s)
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("1的消息>>m%d", i))
	}
	if !slices.Equal(got, want) {
		t.Errorf("the page shows %d messages, want the %d published, once each, in order:\ngot  %q\nwant %q", len(got), n, got, want)
	}
	if welcomes != 2 {
		t.Errorf("%d welcomes, want 2 (the first connection and the one after the restart)", welcomes)
	}
	t.Logf("%d messages, %d published while a was down", n, back-down)
}
