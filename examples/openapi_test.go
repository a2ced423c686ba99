package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rxsse/rxsse/examples/internal/browsertest"
	"github.com/rxsse/rxsse/internal/oascheck"
	"github.com/rxsse/rxsse/sse/ssetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The demo serves the OpenAPI 3.2 document of every example's routes, equal
// to the golden file (parameters, constraints, Nest's errors, the events of
// the SSE routes as itemSchema), each schema valid JSON Schema 2020-12; and
// a page that reads it. Run with -update after changing a route.
func TestOpenAPI(t *testing.T) {
	i := startInstance(t, config{JWTSecret: demoSecret}, tuning{})
	got := ssetest.Do(t, "GET", i.url()+"/openapi.json", "")
	if got.Status != 200 || got.ContentType != "application/json" {
		t.Fatalf("GET /openapi.json: %d %s %s", got.Status, got.ContentType, got.Body)
	}
	if n, err := oascheck.Schemas([]byte(got.Body)); err != nil || n == 0 {
		t.Errorf("%d schemas checked: %v", n, err)
	}
	golden := filepath.Join("testdata", "openapi.json")
	if *update {
		if err := os.WriteFile(golden, []byte(got.Body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.Body+"\n" != string(want) {
		t.Errorf("the document differs from %s (go test ./examples -run TestOpenAPI -update to accept it):\n%s", golden, got.Body)
	}

	page := ssetest.Do(t, "GET", i.url()+"/docs", "")
	if page.Status != 200 || !strings.Contains(page.Body, `data-spec="/openapi.json"`) {
		t.Errorf("GET /docs: %d %s", page.Status, page.Body)
	}
}

// The /docs page renders the document in a browser: every operation, the
// SSE routes marked as such, with the schema of their events.
func TestDocsPage(t *testing.T) {
	b := browsertest.Shared(t)
	i := startInstance(t, config{JWTSecret: demoSecret}, tuning{})
	p := b.NewPage(t)
	p.Navigate(i.url() + "/docs")
	p.WaitFor(`document.querySelectorAll(".op").length == 9`, 0)
	if got := browsertest.Eval[int](p, `document.querySelectorAll(".sse").length`); got != 5 {
		t.Errorf("%d operations marked as server-sent events, want 5", got)
	}
	if got := browsertest.Eval[string](p, `document.getElementById("title").textContent`); got != "rxsse examples 1.0.0" {
		t.Errorf("title %q", got)
	}
	if !browsertest.Eval[bool](p, `document.body.textContent.includes("each event:")`) {
		t.Errorf("no event schema on the page:\n%s", browsertest.Eval[string](p, `document.body.innerText`))
	}
}
