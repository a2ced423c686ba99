package controller_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/internal/testlog"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newRouter returns a router whose log goes to the returned buffer.
func newRouter(opts *controller.Options) (*controller.Router, *testlog.Buffer) {
	logs := &testlog.Buffer{}
	if opts == nil {
		opts = &controller.Options{}
	}
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return controller.NewRouter(opts), logs
}

// server serves h over loopback HTTP for the test, with a client that keeps
// no idle connection (so goleak sees none).
type server struct {
	*httptest.Server
	client *http.Client
}

func serve(t testing.TB, h http.Handler) *server {
	t.Helper()
	srv := httptest.NewServer(h)
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return &server{Server: srv, client: &http.Client{Transport: tr}}
}

type response struct {
	status int
	header http.Header
	body   string
}

// do sends one request; header holds name, value pairs. A body sets
// Content-Type: application/json unless header names another.
func (s *server) do(t testing.TB, method, path, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	if len(header) > 0 {
		// Content-Type given explicitly replaces the default one.
		for i := 0; i+1 < len(header); i += 2 {
			if http.CanonicalHeaderKey(header[i]) == "Content-Type" {
				req.Header["Content-Type"] = []string{header[i+1]}
			}
		}
	}
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// check compares a response's status and body.
func (r response) check(t testing.TB, status int, body string) {
	t.Helper()
	if r.status != status || r.body != body {
		t.Errorf("got %d %s\nwant %d %s", r.status, r.body, status, body)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
