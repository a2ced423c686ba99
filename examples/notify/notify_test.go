package notify_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/examples/notify"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func server(t *testing.T, period time.Duration) *ssetest.Server {
	r := controller.NewRouter(nil)
	r.Mount("/notify", &notify.Controller{Period: period})
	r.Handle("GET /ui/notify", notify.Page())
	return ssetest.NewServer(t, r)
}

// The real pace on a fake clock: 200 events 200 ms apart, a customEvent
// after every 50th, and completion right after the last, at 40 s.
func TestStreamPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		obs, err := (&notify.Controller{}).Stream(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var got []sse.MessageEvent
		err = rx.ForEach(t.Context(), obs, func(ev sse.MessageEvent) {
			n := len(got) + 1 - len(got)/(notify.CustomEvery+1) // the count of the message events so far
			if ev.Type == "" && time.Since(start) != time.Duration(n)*200*time.Millisecond {
				t.Errorf("event %d at %v", n, time.Since(start))
			}
			got = append(got, ev)
		})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 40*time.Second {
			t.Errorf("completed at %v, want 40s", d)
		}
		var want []sse.MessageEvent
		for n := 1; n <= 200; n++ {
			want = append(want, sse.MessageEvent{Data: notify.Text(n)})
			if n%50 == 0 {
				want = append(want, sse.MessageEvent{Type: "customEvent", Data: notify.Text(n)})
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("got %d events, want %d:\n%v", len(got), len(want), got)
		}
	})
}

// The whole response, byte for byte: the customEvents take automatic ids
// like the others, and the response ends after the last event.
func TestStreamWire(t *testing.T) {
	srv := server(t, time.Millisecond)
	body := srv.Do(t, "GET", "/notify/stream", "").Body // the stream completes
	var want strings.Builder
	want.WriteString("\n")
	id := 0
	for n := 1; n <= 200; n++ {
		id++
		fmt.Fprintf(&want, "id: %d\ndata: 这是第%d次发送的SSE数据\n\n", id, n)
		if n%50 == 0 {
			id++
			fmt.Fprintf(&want, "event: customEvent\nid: %d\ndata: 这是第%d次发送的SSE数据\n\n", id, n)
		}
	}
	if string(body) != want.String() {
		t.Errorf("body differs:\n%s", firstDiff(string(body), want.String()))
	}
}

func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-40)
	return fmt.Sprintf("at byte %d: got %q, want %q", i, got[from:min(len(got), i+40)], want[from:min(len(want), i+40)])
}

func history(p *browsertest.Page) []string { return browsertest.Texts(p, "#history li") }

// The seed's page against the finite stream: connect, receive all 200 (and
// the 4 customEvents), and stay disconnected when the stream completes,
// instead of reconnecting and starting the count again.
func TestPageRunsToTheEnd(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t, 2*time.Millisecond)
	p := b.NewPage(t)
	p.Navigate(srv.URL + "/ui/notify")
	if got := history(p); !slices.Equal(got, []string{"等待服务器推送..."}) {
		t.Fatalf("history before connecting %q", got)
	}
	p.Click("#toggle")
	p.WaitFor(`document.getElementById("toggle").textContent === "建立连接"`, 20*time.Second)

	want := []string{"等待服务器推送...", "已建立 SSE 连接"}
	for n := 1; n <= 200; n++ {
		want = append(want, notify.Text(n))
		if n%50 == 0 {
			want = append(want, "自定义事件:"+notify.Text(n))
		}
	}
	want = append(want, "推送结束(共 200 条),已断开 SSE 连接")
	if got := history(p); !slices.Equal(got, want) {
		t.Errorf("history (%d lines), want %d lines:\ngot  %q\nwant %q", len(got), len(want), tail(got), tail(want))
	}
	// A closed EventSource never reconnects: the count cannot restart.
	state := browsertest.Eval[map[string]any](p, `window.notifyState()`)
	if state["open"] != false || state["readyState"] != float64(2) || state["total"] != float64(notify.Count) {
		t.Errorf("page state %v, want closed, total %d", state, notify.Count)
	}
	if n := srv.Requests("/notify/stream"); n != 1 {
		t.Errorf("%d requests for the stream, want 1", n)
	}
}

// A stream cut by a server restart is not a finished one. A graceful
// shutdown ends the response as cleanly as the stream's completion does
// (the browser sees the same end of the body), so the page tells them
// apart by the count: it reports the cut, with what it received, and stays
// disconnected.
func TestPageCutIsNotFinished(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t, 20*time.Millisecond) // 4 s in all: the server stops long before
	p := b.NewPage(t)
	p.Navigate(srv.URL + "/ui/notify")
	p.Click("#toggle")
	p.WaitFor(`window.notifyState().received >= 3`, 0)
	srv.Close() // shuts the server down: sse ends the open stream cleanly
	p.WaitFor(`document.getElementById("toggle").textContent === "建立连接"`, 0)

	state := browsertest.Eval[map[string]any](p, `window.notifyState()`)
	n, _ := state["received"].(float64)
	if state["open"] != false || n < 3 || n >= notify.Count {
		t.Fatalf("page state %v, want closed after a few events", state)
	}
	got := history(p)
	want := fmt.Sprintf("SSE 连接中断(收到 %d/%d 条,推送未完成),已断开", int(n), notify.Count)
	if last := got[len(got)-1]; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	for _, line := range got {
		if strings.HasPrefix(line, "推送结束") {
			t.Errorf("the page reports a cut stream as finished: %q", line)
		}
	}
	if len(got) != 3+int(n) { // waiting, connected, the events (no customEvent before the 50th), the cut
		t.Errorf("history %q", got)
	}
}

func tail(s []string) []string { return s[max(0, len(s)-4):] }

// The toggle: disconnecting ends the server's stream; connecting again
// starts a new one, from 1.
func TestPageToggle(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t, 50*time.Millisecond) // 10 s in all: the test disconnects long before
	p := b.NewPage(t)
	p.Navigate(srv.URL + "/ui/notify")

	p.Click("#toggle")
	p.WaitFor(`document.querySelectorAll("#history li").length >= 5`, 0) // waiting, connected, 3 events
	p.Click("#toggle")
	p.WaitFor(`document.querySelector("#history li:last-child").textContent === "已断开 SSE 连接"`, 0)
	srv.WaitStreams(t, "/notify/stream", 0)
	got := history(p)
	if len(got) < 5 || got[len(got)-1] != "已断开 SSE 连接" || got[2] != notify.Text(1) {
		t.Fatalf("history after disconnecting: %q", got)
	}
	if s := browsertest.Texts(p, "#toggle")[0]; s != "建立连接" {
		t.Errorf("button %q, want 建立连接", s)
	}
	before := len(got)

	p.Click("#toggle")
	p.WaitFor(fmt.Sprintf(`document.querySelectorAll("#history li").length >= %d`, before+2), 0)
	again := history(p)[before : before+2]
	if want := []string{"已建立 SSE 连接", notify.Text(1)}; !slices.Equal(again, want) {
		t.Errorf("after reconnecting: %q, want %q", again, want)
	}
	if s := browsertest.Texts(p, "#toggle")[0]; s != "断开连接" {
		t.Errorf("button %q, want 断开连接", s)
	}
	if n := srv.Requests("/notify/stream"); n != 2 {
		t.Errorf("%d requests for the stream, want 2", n)
	}
}
