package openapi

import (
	_ "embed"
	"html"
	"net/http"
	"strings"
)

//go:embed page.html
var pageHTML string

// Page serves a small human-readable page of the document served at
// specURL (a path such as "/openapi.json", or a URL): every operation by
// tag, its parameters, body and answers, and for an SSE route the schema of
// each event. It loads nothing but the document.
func Page(specURL string) http.Handler {
	body := []byte(strings.Replace(pageHTML, "{{SPEC}}", html.EscapeString(specURL), 1))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
}
