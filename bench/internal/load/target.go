// Package load is the load client of the benchmarks: it opens many event
// streams to a server that speaks the benchmark contract, publishes, and
// measures what every client receives (fanout), or holds connections and
// reads what they cost the server (idle).
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
)

// Target is one server under test.
type Target struct {
	Name string
	// URL is the server's base URL (scheme http); the contract's routes
	// are resolved against it.
	URL *url.URL
	// PIDs, when given, are the server's processes on this machine: their
	// CPU and memory, summed, are read from /proc. Otherwise they come from
	// the server's stats route when it has one.
	PIDs []int

	client   *http.Client
	noStats  bool // the stats route answered 404 once
	hostPort string
}

// NewTarget parses a base URL such as http://127.0.0.1:8080; pids are the
// server's processes, if known.
func NewTarget(name, rawURL string, pids ...int) (*Target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("load: target %s: %w", name, err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("load: target %s: want an http://host:port URL, got %q", name, rawURL)
	}
	hp := u.Host
	if u.Port() == "" {
		hp = net.JoinHostPort(u.Hostname(), "80")
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return &Target{
		Name:     name,
		URL:      u,
		PIDs:     pids,
		hostPort: hp,
		client: &http.Client{
			Timeout:   time.Minute, // a publish to many slow streams can take a while
			Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true},
		},
	}, nil
}

// path returns the request target of a contract route, with query.
func (t *Target) path(route, query string) string {
	p := t.URL.Path + route
	if query != "" {
		p += "?" + query
	}
	return p
}

func (t *Target) url(route, query string) string {
	u := *t.URL
	u.Path = t.URL.Path + route
	u.RawQuery = query
	return u.String()
}

// Close releases the target's idle control connections.
func (t *Target) Close() { t.client.CloseIdleConnections() }

// Subscribers asks the server how many fanout subscribers it has.
func (t *Target) Subscribers(ctx context.Context) (int, error) {
	var s contract.Subscribers
	if err := t.getJSON(ctx, contract.PathSubscribers, &s); err != nil {
		return 0, err
	}
	return s.Subscribers, nil
}

// Publish asks the server to publish n events of pad size bytes.
func (t *Target) Publish(ctx context.Context, n, size int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		t.url(contract.PathPublish, fmt.Sprintf("n=%d&size=%d", n, size)), nil)
	if err != nil {
		return fmt.Errorf("load: publish: %w", err)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("load: publish: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("load: publish: %s: %s", resp.Status, body)
	}
	var p contract.Published
	if err := json.Unmarshal(body, &p); err != nil {
		return fmt.Errorf("load: publish: answer %q: %w", body, err)
	}
	if p.Published != n {
		return fmt.Errorf("load: publish: server published %d of %d", p.Published, n)
	}
	return nil
}

// Usage is what the server process has used so far.
type Usage struct {
	Known bool // CPU and RSS are known
	CPU   time.Duration
	RSS   int64
	// Runtime is true when the server's stats route gave the Go runtime's
	// figures below (this project's servers have it).
	Runtime          bool
	Goroutines       int
	HeapLive, Stacks int64
}

// Usage reads the server's CPU time and RSS, from /proc when PID is known,
// else from its stats route; the Go runtime figures come from the stats
// route when there is one.
func (t *Target) Usage(ctx context.Context) Usage {
	var u Usage
	// With several server processes the stats route answers for one of
	// them only: /proc is the truth.
	if !t.noStats && len(t.PIDs) <= 1 {
		var s contract.Stats
		err := t.getJSON(ctx, contract.PathStats, &s)
		switch {
		case err == nil:
			u = Usage{Known: true, CPU: time.Duration(s.CPUNanos), RSS: s.RSSBytes,
				Runtime: true, Goroutines: s.Goroutines, HeapLive: s.HeapLiveBytes, Stacks: s.StackBytes}
		case errors.Is(err, errNotFound):
			t.noStats = true
		}
	}
	if len(t.PIDs) > 0 {
		u.Known, u.CPU, u.RSS = true, 0, 0
		for _, pid := range t.PIDs {
			cpu, err1 := contract.ProcessCPU(pid)
			rss, err2 := contract.ProcessRSS(pid)
			u.Known = u.Known && err1 == nil && err2 == nil
			u.CPU += cpu
			u.RSS += rss
		}
	}
	return u
}

var errNotFound = errors.New("load: not found")

func (t *Target) getJSON(ctx context.Context, route string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url(route, ""), nil)
	if err != nil {
		return fmt.Errorf("load: %s: %w", route, err)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("load: %s: %w", route, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%w: %s", errNotFound, route)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("load: %s: %s: %s", route, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("load: %s: answer %q: %w", route, body, err)
	}
	return nil
}
