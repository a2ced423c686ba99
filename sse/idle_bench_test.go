package sse_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// The idle-connection benchmark measures the memory a server process holds
// per open, idle stream: the test binary runs again as a server (so that the
// clients' memory is not counted), 5,000 clients connect, and the growth of
// the server's resident set is divided by the connections. Heartbeats are on
// (the default 15 s).
const idleServerEnv = "SSE_IDLE_SERVER"

func BenchmarkIdleConnections(b *testing.B) {
	for _, kind := range []string{"handwritten", "rxsse-attached", "rxsse"} {
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				perConn, goroutines := measureIdle(b, kind, 5000)
				b.ReportMetric(perConn, "rss-bytes/conn")
				b.ReportMetric(goroutines, "goroutines/conn")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

func measureIdle(b *testing.B, kind string, conns int) (perConn, goroutinesPerConn float64) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), idleServerEnv+"="+kind)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	out := bufio.NewReader(stdout)
	addr, err := out.ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	addr = strings.TrimSpace(addr)
	stats := func() (rss, goroutines float64, heap, stack, inuse float64) {
		resp, err := http.Get("http://" + addr + "/stats")
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		var r, g, h, s, i float64
		fmt.Fscan(resp.Body, &r, &g, &h, &s, &i)
		return r, g, h, s, i
	}
	time.Sleep(200 * time.Millisecond)
	rss0, g0, h0, s0, i0 := stats()
	clients := make([]net.Conn, 0, conns)
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
		if _, err := io.WriteString(c, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			b.Fatal(err)
		}
		// Wait for the headers: the stream is open.
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 512)
		got := ""
		for !strings.Contains(got, "\r\n\r\n") {
			n, err := c.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += string(buf[:n])
		}
	}
	time.Sleep(time.Second) // let the server settle
	rss1, g1, h1, s1, i1 := stats()
	b.ReportMetric((h1-h0)/float64(conns), "heap-bytes/conn")
	b.ReportMetric((s1-s0)/float64(conns), "stack-bytes/conn")
	b.ReportMetric((i1-i0)/float64(conns), "heapinuse-bytes/conn")
	return (rss1 - rss0) / float64(conns), (g1 - g0) / float64(conns)
}

// runIdleServer is the child process: it serves idle streams until its
// standard input closes.
func runIdleServer(kind string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		rss := readRSS()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintln(w, rss, runtime.NumGoroutine(), ms.HeapAlloc, ms.StackInuse, ms.HeapInuse)
	})
	switch kind {
	case "rxsse":
		mux.Handle("/stream", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
			return rx.Never[string](), nil
		}, nil))
	case "rxsse-attached":
		mux.Handle("/stream", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[string], error) {
			return rx.Never[string](), nil
		}, &sse.Options{Attached: true}))
	default:
		mux.HandleFunc("/stream", idleHandwritten)
	}
	go http.Serve(ln, mux)
	fmt.Println(ln.Addr())
	io.Copy(io.Discard, os.Stdin)
}

// idleHandwritten is the least a hand-written server does for an idle
// stream with heartbeats.
func idleHandwritten(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	rc := http.NewResponseController(w)
	io.WriteString(w, "\n")
	rc.Flush()
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			io.WriteString(w, ": heartbeat\n\n")
			rc.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

// readRSS returns the resident set of this process in bytes.
func readRSS() int64 {
	debug.FreeOSMemory() // count what is held, not garbage awaiting collection
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}
