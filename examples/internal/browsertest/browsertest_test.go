package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/rxsse/rxsse/examples/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

const page = `<!doctype html><meta charset="utf-8"><ul id="log"></ul><script>
const log = (t) => { const li = document.createElement("li"); li.textContent = t; document.getElementById("log").appendChild(li); };
log("stored:" + (localStorage.getItem("who") ?? "none"));
const es = new EventSource("/events");
es.onmessage = (e) => { log(e.lastEventId + ":" + e.data); if (e.data === "3") es.close(); };
</script>`

// A hand-written event stream, so that the harness is tested without the
// project's own packages.
func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "id: %d\ndata: %d\n\n", i, i)
		}
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestPageReceivesEvents(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t)
	p := b.NewPage(t)
	p.Navigate(srv.URL)
	got := browsertest.WaitTexts(p, "#log li", 4, 0)
	want := []string{"stored:none", "1:1", "2:2", "3:3"}
	if !slices.Equal(got, want) {
		t.Fatalf("log = %q, want %q", got, want)
	}
}

// Two pages are two users: what one stores, the other does not see; a tab of
// the same user does.
func TestPagesAreIsolated(t *testing.T) {
	b := browsertest.Shared(t)
	srv := server(t)
	alice := b.NewPage(t)
	alice.Navigate(srv.URL)
	browsertest.Eval[bool](alice, `(localStorage.setItem("who", "alice"), true)`)

	bob := b.NewPage(t)
	bob.Navigate(srv.URL)
	if got := browsertest.WaitTexts(bob, "#log li", 1, 0)[0]; got != "stored:none" {
		t.Errorf("bob's page: %q, want stored:none", got)
	}
	tab := alice.NewTab(t)
	tab.Navigate(srv.URL)
	if got := browsertest.WaitTexts(tab, "#log li", 1, 0)[0]; got != "stored:alice" {
		t.Errorf("alice's second tab: %q, want stored:alice", got)
	}
}
