package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/internal/testlog"
)

// The demo started while its Redis is down waits for it (one warning), and
// connects once Redis is up, instead of exiting at once.
func TestStartWhileRedisDown(t *testing.T) {
	bin := testenv.RedisServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing answers there until the server starts below
	cfg := config{RedisURL: fmt.Sprintf("redis://127.0.0.1:%d", port), RedisWait: 20 * time.Second, JWTSecret: "x"}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var logs testlog.Buffer
	started := make(chan *exec.Cmd, 1)
	go func() {
		// Start Redis once the demo says it waits for it.
		for !strings.Contains(logs.String(), "waiting for it") && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no", "--dir", t.TempDir())
		if err := cmd.Start(); err != nil {
			t.Error(err)
		}
		started <- cmd
	}()
	a, err := newApp(ctx, cfg, tuning{RedisStream: "rxsse:wait-test"}, slog.New(slog.NewTextHandler(&logs, nil)))
	cmd := <-started
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	if err != nil {
		t.Fatalf("newApp: %v\n%s", err, logs.String())
	}
	defer a.Close()
	if a.busName != "Redis" {
		t.Errorf("bus %q, want Redis", a.busName)
	}
	if got := logs.String(); strings.Count(got, "waiting for it") != 1 || !strings.Contains(got, "connected to Redis") {
		t.Errorf("log:\n%s", got)
	}
}
