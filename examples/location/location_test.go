package location_test

import (
	"slices"
	"testing"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/examples/location"
	"github.com/rxsse/rxsse/sse/ssetest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func server(t *testing.T) (*ssetest.Server, *location.Controller) {
	c := location.NewController()
	r := controller.NewRouter(nil)
	r.Mount("/location", c)
	r.Handle("GET /ui/location", location.Page())
	return ssetest.NewServer(t, r), c
}

func TestPost(t *testing.T) {
	srv, c := server(t)
	const jsonType = "application/json; charset=utf-8"
	for _, tc := range []struct {
		name, body string
		status     int
		typ, want  string
	}{
		{"integers", `{"x":1,"y":2}`, 201, "text/html; charset=utf-8", "ok"},
		{"zero and decimals", `{"x":0,"y":-3.25}`, 201, "text/html; charset=utf-8", "ok"},
		{"string x", `{"x":"1","y":2}`, 400, jsonType,
			`{"message":["x must be a number"],"error":"Bad Request","statusCode":400}`},
		{"missing y", `{"x":1}`, 400, jsonType,
			`{"message":["y should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"null x", `{"x":null,"y":1}`, 400, jsonType,
			`{"message":["x should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"empty object", `{}`, 400, jsonType,
			`{"message":["x should not be empty","y should not be empty"],"error":"Bad Request","statusCode":400}`},
		{"array", `[1,2]`, 400, jsonType,
			`{"message":["body must be an object"],"error":"Bad Request","statusCode":400}`},
		{"bad JSON", `{"x":1,`, 400, jsonType,
			`{"message":"request body is not valid JSON: unexpected end of input","error":"Bad Request","statusCode":400}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ssetest.PostJSON(t, srv.URL+"/location", tc.body)
			if got.Status != tc.status || got.ContentType != tc.typ || got.Body != tc.want {
				t.Errorf("POST %s: %d %q %s\nwant %d %q %s", tc.body, got.Status, got.ContentType, got.Body, tc.status, tc.typ, tc.want)
			}
		})
	}
	if got, want := c.Positions(), []location.Position{{X: 0, Y: -3.25}, {X: 1, Y: 2}}; !slices.Equal(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
}

// Every subscriber gets the current list on connect, then the whole list
// after each post, newest first.
func TestStream(t *testing.T) {
	srv, _ := server(t)
	data := func(evs []ssetest.Event) []string {
		var out []string
		for _, ev := range evs {
			out = append(out, ev.Data)
		}
		return out
	}
	a := ssetest.Connect(t, srv.URL+"/location/sse")
	if got := data(a.NextN(1)); !slices.Equal(got, []string{`[]`}) {
		t.Fatalf("first event %q, want []", got)
	}
	ssetest.PostJSON(t, srv.URL+"/location", `{"x":1,"y":2}`)
	if got := data(a.NextN(1)); !slices.Equal(got, []string{`[{"x":1,"y":2}]`}) {
		t.Fatalf("after a post: %q", got)
	}
	b := ssetest.Connect(t, srv.URL+"/location/sse")
	if got := data(b.NextN(1)); !slices.Equal(got, []string{`[{"x":1,"y":2}]`}) {
		t.Fatalf("second client's first event %q", got)
	}
	ssetest.PostJSON(t, srv.URL+"/location", `{"x":3.5,"y":4}`)
	want := []string{`[{"x":3.5,"y":4},{"x":1,"y":2}]`}
	for name, s := range map[string]*ssetest.Conn{"a": a, "b": b} {
		if got := data(s.NextN(1)); !slices.Equal(got, want) {
			t.Errorf("%s after the second post: %q, want %q", name, got, want)
		}
	}
	// Each client received one event per change: a's ids are 1, 2, 3.
	if a.LastEventID() != "3" || b.LastEventID() != "2" {
		t.Errorf("last ids a %q b %q, want 3 and 2", a.LastEventID(), b.LastEventID())
	}
}

// The list keeps the latest MaxPositions positions.
func TestBounded(t *testing.T) {
	c := location.NewController()
	for i := range location.MaxPositions + 5 {
		x, y := float64(i), float64(-i)
		if _, err := c.Add(t.Context(), &location.AddInput{X: &x, Y: &y}); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Positions()
	if len(got) != location.MaxPositions {
		t.Fatalf("%d positions, want %d", len(got), location.MaxPositions)
	}
	last := float64(location.MaxPositions + 4)
	if got[0] != (location.Position{X: last, Y: -last}) || got[len(got)-1] != (location.Position{X: 5, Y: -5}) {
		t.Errorf("newest %v, oldest %v; want x=%v and x=5", got[0], got[len(got)-1], last)
	}
}

// Two users on the page: a click by one shows on both boards.
func TestPage(t *testing.T) {
	b := browsertest.Shared(t)
	srv, _ := server(t)
	alice, bob := b.NewPage(t), b.NewPage(t)
	for _, p := range []*browsertest.Page{alice, bob} {
		p.Navigate(srv.URL + "/ui/location")
		p.WaitFor(`document.getElementById("status").textContent === "open"`, 0)
	}
	alice.ClickAt("#board", 100, 50)
	for name, p := range map[string]*browsertest.Page{"alice": alice, "bob": bob} {
		p.WaitFor(`document.querySelectorAll("#positions li").length === 1`, 0)
		if got := browsertest.Texts(p, "#positions li"); !slices.Equal(got, []string{"(100, 50)"}) {
			t.Errorf("%s sees %q after alice's click", name, got)
		}
	}
	bob.ClickAt("#board", 20, 30)
	for name, p := range map[string]*browsertest.Page{"alice": alice, "bob": bob} {
		p.WaitFor(`document.querySelectorAll("#positions li").length === 2`, 0)
		if got, want := browsertest.Texts(p, "#positions li"), []string{"(20, 30)", "(100, 50)"}; !slices.Equal(got, want) {
			t.Errorf("%s sees %q after bob's click, want %q", name, got, want)
		}
		dot := browsertest.Eval[[]string](p, `(() => { const d = document.querySelector("#board .newest"); return [d.style.left, d.style.top, String(document.querySelectorAll("#board .dot").length)]; })()`)
		if want := []string{"20px", "30px", "2"}; !slices.Equal(dot, want) {
			t.Errorf("%s: newest dot at %q, want %q", name, dot, want)
		}
	}
}
