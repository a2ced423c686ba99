package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// spawnPrefix marks a target that the command starts itself, as a separate
// process of this same binary: "serve:rxsse" or "serve:baseline".
const spawnPrefix = "serve:"

// serverProcess is a `bench serve` child process.
type serverProcess struct {
	cmd    *exec.Cmd
	url    string
	pids   []int // the server's processes (more than one with -procs)
	stderr *limitedBuffer
	waited chan struct{}
	err    error
}

// startServer starts `bench serve` for kind ("rxsse" or "baseline") on a
// free loopback port and waits for its banner.
func startServer(ctx context.Context, kind string, sc serveConfig) (*serverProcess, error) {
	switch kind {
	case "baseline", "rxsse":
	default:
		return nil, fmt.Errorf("unknown server %q (want %srxsse or %sbaseline)", kind, spawnPrefix, spawnPrefix)
	}
	sc.baseline = kind == "baseline"
	sc.addr = "127.0.0.1:0"
	return startServerArgs(ctx, kind, childArgs(sc))
}

// startServerArgs runs this binary with args (a serve command) and waits
// for its banner.
func startServerArgs(ctx context.Context, kind string, args []string) (*serverProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start %s server: %w", kind, err)
	}
	return startCommand(ctx, kind, append([]string{exe}, args...), nil)
}

// startCommand runs argv (with env added to this process's environment) and
// waits for the banner on its first line of output.
func startCommand(ctx context.Context, kind string, argv, env []string) (*serverProcess, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	// The server dies with this process, however this one ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start %s server: %w", kind, err)
	}
	p := &serverProcess{cmd: cmd, stderr: &limitedBuffer{max: 64 << 10}, waited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s server: %w", kind, err)
	}
	banner := make(chan string, 1)
	go func() {
		br := bufio.NewReader(stdout)
		line, _ := br.ReadString('\n')
		banner <- line
		_, _ = io.Copy(io.Discard, br) // keep the pipe drained
	}()
	go func() {
		p.err = cmd.Wait()
		close(p.waited)
	}()
	select {
	case line := <-banner:
		url, pids, ok := parseBanner(line)
		if !ok {
			p.stop()
			return nil, fmt.Errorf("start %s server: unexpected banner %q; stderr: %s", kind, line, p.stderr)
		}
		p.url, p.pids = url, pids
		return p, nil
	case <-time.After(20 * time.Second):
		p.stop()
		return nil, fmt.Errorf("start %s server: no banner after 20s; stderr: %s", kind, p.stderr)
	case <-ctx.Done():
		p.stop()
		return nil, ctx.Err()
	}
}

// stop ends the server: SIGTERM, then SIGKILL after 5 s.
func (p *serverProcess) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM) // it may have exited already
	select {
	case <-p.waited:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.waited
	}
}

// exitError reports how the server ended when it ended by itself.
func (p *serverProcess) exitError() error {
	select {
	case <-p.waited:
		if p.err == nil {
			return errors.New("server exited")
		}
		return fmt.Errorf("server exited: %w; stderr: %s", p.err, p.stderr)
	default:
		return nil
	}
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.buf.String())
}

// banner is what serve prints once it listens; compare and the tests read
// it back with parseBanner.
func banner(addr, name string, pids []int, nofile uint64) string {
	return fmt.Sprintf("listening on http://%s (%s, pids %s, open-file limit %d)", addr, name, joinInts(pids, ","), nofile)
}

var bannerRE = regexp.MustCompile(`^listening on (http://\S+) \([^,]+, pids? ([0-9,]+)[,)]`)

func parseBanner(line string) (url string, pids []int, ok bool) {
	m := bannerRE.FindStringSubmatch(line)
	if m == nil {
		return "", nil, false
	}
	pids, err := parsePIDs(m[2], ",")
	return m[1], pids, err == nil
}
