// Package testenv finds the real services that some tests need (a Redis
// server, a Chromium browser). Under plain `go test` a test whose service is
// missing is skipped with a message saying how to get it; under `make test`,
// which sets RXSSE_REQUIRE, it fails instead, so CI never passes by skipping.
package testenv

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// required reports whether the test run demands the named service
// (RXSSE_REQUIRE is a comma-separated list, or "all").
func required(name string) bool {
	for _, s := range strings.Split(os.Getenv("RXSSE_REQUIRE"), ",") {
		if s = strings.TrimSpace(s); s == name || s == "all" {
			return true
		}
	}
	return false
}

func missing(t testing.TB, name, why string) {
	t.Helper()
	if required(name) {
		t.Fatalf("%s is required by this run (RXSSE_REQUIRE) but %s", name, why)
	}
	t.Skipf("skipping: %s: %s (run `make test` to install and start it)", name, why)
}

// RedisURL returns the URL of a reachable Redis server: $REDIS_URL, or
// redis://127.0.0.1:6379. It skips or fails the test when none answers.
func RedisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379"
	}
	addr := strings.TrimPrefix(url, "redis://")
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		addr = addr[i+1:]
	}
	if i := strings.Index(addr, "/"); i >= 0 {
		addr = addr[:i]
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(context.Background(), "tcp", addr)
	if err != nil {
		missing(t, "redis", "no server answers at "+addr)
		return ""
	}
	conn.Close()
	return url
}

// RedisServer returns the path of the redis-server binary, for tests that
// start and stop their own server. It skips or fails the test when there is
// none.
func RedisServer(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("redis-server")
	if err != nil {
		missing(t, "redis", "redis-server is not installed")
	}
	return p
}

// Chromium returns the path of a Chromium or Chrome binary: $CHROMIUM, or the
// first of chromium, chromium-browser, google-chrome on PATH. It skips or
// fails the test when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "chromium", "no chromium binary on PATH")
	return ""
}
