package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bench/internal/baseline"
	"github.com/rxsse/rxsse/bench/internal/load"
	"github.com/rxsse/rxsse/bench/internal/pipelines"
)

// servers returns both contract servers, served in-process over loopback.
func servers(t *testing.T) map[string]string {
	t.Helper()
	rx, err := newRxsseServer(serveConfig{queue: 4096, policy: "disconnect"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, h := range map[string]http.Handler{"baseline": baseline.New(nil), "rxsse": rx} {
		srv := httptest.NewServer(h)
		t.Cleanup(func() {
			srv.CloseClientConnections()
			srv.Close()
		})
		out[name] = srv.URL
	}
	return out
}

func TestFanoutAndIdleOnBothServers(t *testing.T) {
	t.Parallel()
	for name, url := range servers(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tg, err := load.NewTarget(name, url)
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			cfg := load.FanoutConfig{Conns: 20, Events: 50, Size: 64, Timeout: 20 * time.Second}
			acc := newFanoutAcc(name, cfg)
			for range 2 {
				acc.addFanout(load.Fanout(context.Background(), tg, cfg))
			}
			cr := acc.result()
			if cr.Integrity != "ok" || len(cr.Errors) != 0 {
				t.Fatalf("integrity %q, errors %v", cr.Integrity, cr.Errors)
			}
			if got := cr.Values["events_per_sec"].N; got != 2 {
				t.Fatalf("events/s from %d runs, want 2", got)
			}

			icfg := load.IdleConfig{Conns: 20, Hold: 50 * time.Millisecond}
			res, err := load.Idle(context.Background(), tg, icfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Connected != 20 || res.Disconnected != 0 || !res.ServerKnown || !res.RuntimeKnown {
				t.Fatalf("idle result %+v", res)
			}
			// The per-connection figures are not checked: in-process, the
			// whole test binary's memory and goroutines are counted.
		})
	}
}

func TestCompareExternalTargetsWritesTableJSONAndChart(t *testing.T) {
	t.Parallel()
	urls := servers(t)
	specs, err := parseTargets("baseline="+urls["baseline"]+",rxsse="+urls["rxsse"], "")
	if err != nil {
		t.Fatal(err)
	}
	cases := compareCases{fanout: []fanoutCase{{20, 50}}, size: 64, idle: []int{20}, hold: 50 * time.Millisecond}
	rep, err := compare(context.Background(), specs, serveConfig{}, cases, commonFlags{runs: 1, timeout: 20 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 4 {
		t.Fatalf("%d results, want 4", len(rep.Results))
	}
	for _, cr := range rep.Results {
		if len(cr.Errors) != 0 || (cr.Kind == "fanout" && cr.Integrity != "ok") {
			t.Fatalf("%s on %s: integrity %q, errors %v", cr.Case, cr.Target, cr.Integrity, cr.Errors)
		}
	}
	chart := filepath.Join(t.TempDir(), "c.svg")
	if err := writeCompareChart(chart, rep); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(chart)
	if err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Fatalf("chart: %v, %.100q", err, b)
	}

	var text bytes.Buffer
	if err := rep.write(&text, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rxsse/baseline", "fanout c=20 n=50 size=64", "delivered events/s", "idle c=20", "server RSS per connection", "integrity"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := rep.write(&js, "json"); err != nil {
		t.Fatal(err)
	}
	var back runReport
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Results) != 4 || back.Results[0].Values["events_per_sec"].N != 1 {
		t.Fatalf("JSON round trip lost results: %+v", back.Results)
	}

	// The saved results chart again, as PNG this time.
	saved := filepath.Join(t.TempDir(), "r.json")
	if err := saveJSON(saved, rep.write); err != nil {
		t.Fatal(err)
	}
	var shown bytes.Buffer
	if err := show(&shown, []string{"-in", saved, "-format", "md"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shown.String(), "| fanout c=20 n=50 size=64 | delivered events/s |") {
		t.Fatalf("show -format md:\n%s", shown.String())
	}
	png := filepath.Join(t.TempDir(), "c.png")
	if err := chartCmd(context.Background(), []string{"-in", saved, "-out", png}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("png: %v, %.8q", err, b)
	}
}

func TestCompareStartsServers(t *testing.T) {
	t.Parallel()
	specs, err := parseTargets("baseline=serve:baseline,rxsse=serve:rxsse", "")
	if err != nil {
		t.Fatal(err)
	}
	sc := serveConfig{queue: 4096, policy: "disconnect", heartbeat: 15 * time.Second}
	cases := compareCases{fanout: []fanoutCase{{10, 20}}, size: 8}
	rep, err := compare(context.Background(), specs, sc, cases, commonFlags{runs: 1, timeout: 20 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range rep.Results {
		if cr.Integrity != "ok" || len(cr.Errors) != 0 {
			t.Fatalf("%s: integrity %q, errors %v", cr.Target, cr.Integrity, cr.Errors)
		}
		if cr.Values["server_cpu"].N != 1 {
			t.Fatalf("%s: server CPU not read from the started process", cr.Target)
		}
	}
}

func TestParseTargets(t *testing.T) {
	t.Parallel()
	specs, err := parseTargets("a=serve:rxsse,nest=http://127.0.0.1:3000", "nest=42+43")
	if err != nil {
		t.Fatal(err)
	}
	if specs[0].spawn != "rxsse" || specs[1].url != "http://127.0.0.1:3000" || !slices.Equal(specs[1].pids, []int{42, 43}) {
		t.Fatalf("specs = %+v", specs)
	}
	for _, bad := range [][2]string{
		{"a=serve:nginx", ""},
		{"a=ftp://x", ""},
		{"a=serve:rxsse,a=serve:baseline", ""},
		{"a=serve:rxsse", "b=1"},
		{"a=serve:rxsse", "a=1"},
		{"noequals", ""},
	} {
		if _, err := parseTargets(bad[0], bad[1]); err == nil {
			t.Errorf("parseTargets(%q, %q): want an error", bad[0], bad[1])
		}
	}
	if _, err := parseFanoutCases("100x1000,5000x50"); err != nil {
		t.Error(err)
	}
	if _, err := parseFanoutCases("100*1000"); err == nil {
		t.Error("want an error for 100*1000")
	}
}

func TestPipelineTable(t *testing.T) {
	t.Parallel()
	rep := runPipelines(context.Background(), pipelines.All(0.001), pipelines.Implementations, 1, time.Millisecond, nil)
	if len(rep.Rows) != 17 {
		t.Fatalf("%d rows, want 17 (5 + 4 + 4 + 4 versions)", len(rep.Rows))
	}
	for _, row := range rep.Rows {
		wantWrong := row.Pipeline == "debounce" && row.Impl == pipelines.RXGo
		if (row.Wrong != "") != wantWrong {
			t.Errorf("%s/%s: wrong = %q", row.Pipeline, row.Impl, row.Wrong)
		}
		if row.NsPerItem.N != 1 || row.NsPerItem.Median <= 0 {
			t.Errorf("%s/%s: ns/item %+v", row.Pipeline, row.Impl, row.NsPerItem)
		}
	}
	saved := filepath.Join(t.TempDir(), "p.json")
	if err := saveJSON(saved, rep.write); err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := show(&md, []string{"-in", saved, "-format", "md"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| map-filter-map | rx | ") || !strings.Contains(md.String(), "rxgo [") {
		t.Fatalf("markdown table:\n%s", md.String())
	}
}

// Past one process's open-file limit, the client holds streams in worker
// processes and the server runs several processes on one port: both paths
// are checked here at a small scale (3 workers of 10 streams, 2 server
// processes).
func TestIdleAcrossProcesses(t *testing.T) {
	t.Parallel()
	spec, err := parseSpec("baseline", "serve:baseline", nil)
	if err != nil {
		t.Fatal(err)
	}
	lt, err := spec.open(context.Background(), serveConfig{queue: 64, policy: "disconnect", procs: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer lt.close()
	if len(lt.proc.pids) != 2 {
		t.Fatalf("server pids %v, want 2", lt.proc.pids)
	}
	var workers *workerSet
	cfg := load.IdleConfig{Conns: 30, Hold: 100 * time.Millisecond, Timeout: 20 * time.Second,
		Open: func(ctx context.Context, tg *load.Target, n int) (load.StreamSet, error) {
			ws, err := openWorkersPer(ctx, tg, n, 10, "/sse/bench/forever")
			workers = ws
			return ws, err
		}}
	res, err := load.Idle(context.Background(), lt.Target, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(workers.procs) != 3 {
		t.Fatalf("%d workers, want 3", len(workers.procs))
	}
	if res.Connected != 30 || res.Disconnected != 0 || !res.ServerKnown || res.RuntimeKnown {
		t.Fatalf("result %+v (the stats route speaks for one process: runtime figures must be off)", res)
	}
	for _, w := range workers.procs {
		select {
		case <-w.exited:
		default:
			t.Fatal("a worker outlived Close")
		}
	}
}

func TestParseBanner(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		url  string
		pids []int
	}{
		{banner("127.0.0.1:8080", "rxsse", []int{7}, 20000), "http://127.0.0.1:8080", []int{7}},
		{banner("127.0.0.1:1", "baseline×2", []int{7, 8}, 20000), "http://127.0.0.1:1", []int{7, 8}},
		{"listening on http://127.0.0.1:3000 (nest, pid 14202)\n", "http://127.0.0.1:3000", []int{14202}},
	} {
		url, pids, ok := parseBanner(tc.line)
		if !ok || url != tc.url || !slices.Equal(pids, tc.pids) {
			t.Errorf("parseBanner(%q) = %q, %v, %v", tc.line, url, pids, ok)
		}
	}
	if _, _, ok := parseBanner("hello"); ok {
		t.Error("parseBanner accepted a line that is no banner")
	}
}
