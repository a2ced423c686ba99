package redisbus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/bustest"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/rx"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var streams atomic.Int64

// uniqueStream returns a stream key of this test alone, deleted at cleanup.
func uniqueStream(t testing.TB, url string) string {
	key := fmt.Sprintf("rxsse:test:%s:%d:%d", t.Name(), time.Now().UnixNano(), streams.Add(1))
	t.Cleanup(func() {
		c := client(t, url)
		defer c.Close()
		c.Del(context.Background(), key)
	})
	return key
}

// client returns a client of the server or cluster at url (see
// redisbus.New).
func client(t testing.TB, url string) redis.UniversalClient {
	if rest, ok := strings.CutPrefix(url, "redis+cluster://"); ok {
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: strings.Split(rest, ",")})
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return redis.NewClient(opts)
}

func newHub(t testing.TB, url string, opts *redisbus.Options) *redisbus.Hub {
	t.Helper()
	hub, err := redisbus.New(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("redisbus.New: %v", err)
	}
	t.Cleanup(func() {
		if err := hub.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return hub
}

func TestConformance(t *testing.T) {
	url := testenv.RedisURL(t)
	bustest.Run(t, func(t *testing.T) bus.Hub {
		return newHub(t, url, &redisbus.Options{Stream: uniqueStream(t, url)})
	})
}

// received collects the messages of a subscription.
type received struct {
	mu   sync.Mutex
	msgs []*bus.Message
	err  error
	more chan struct{}
}

func receive(t testing.TB, hub bus.Hub, sub bus.Recipient) (*received, rx.Subscription) {
	r := &received{more: make(chan struct{}, 1)}
	s := hub.Subscribe(context.Background(), sub).Subscribe(context.Background(), rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) {
			r.mu.Lock()
			r.msgs = append(r.msgs, m)
			r.mu.Unlock()
			r.signal()
		},
		OnError: func(err error) {
			r.mu.Lock()
			r.err = err
			r.mu.Unlock()
			r.signal()
		},
	})
	t.Cleanup(s.Unsubscribe)
	return r, s
}

func (r *received) signal() {
	select {
	case r.more <- struct{}{}:
	default:
	}
}

// waitFor waits until the message with id arrived and returns all received.
func (r *received) waitFor(t testing.TB, id string) []*bus.Message {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		r.mu.Lock()
		msgs, err := slices.Clone(r.msgs), r.err
		r.mu.Unlock()
		if err != nil {
			t.Fatalf("stream failed: %v", err)
		}
		if slices.ContainsFunc(msgs, func(m *bus.Message) bool { return m.ID == id }) {
			return msgs
		}
		select {
		case <-r.more:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; got %d messages", id, len(msgs))
		}
	}
}

func (r *received) error() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// waitErr waits until r's stream fails.
func (r *received) waitErr(t testing.TB) error {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for r.error() == nil {
		select {
		case <-r.more:
		case <-deadline:
			t.Fatal("timed out waiting for the stream to fail")
		}
	}
	return r.error()
}

func mustPublish(t testing.TB, hub bus.Hub, to bus.Address, data string) string {
	t.Helper()
	id, err := hub.Publish(context.Background(), to, "", []byte(data))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return id
}

func dataOf(msgs []*bus.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Data)
	}
	return out
}

// Two instances share one stream: a message published on one reaches a
// subscriber on the other, and a client that moves from one to the other
// with its Last-Event-ID misses nothing.
func TestTwoInstances(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	a := newHub(t, url, &redisbus.Options{Stream: stream})
	b := newHub(t, url, &redisbus.Options{Stream: stream})

	onB, _ := receive(t, b, bus.Recipient{User: "ann"})
	id := mustPublish(t, a, bus.ToUser("ann"), "from a")
	if got := onB.waitFor(t, id); len(got) != 1 || string(got[0].Data) != "from a" {
		t.Fatalf("on b: got %q", dataOf(got))
	}

	// A publisher alternates between the instances while the client moves
	// from a to b and back, each time resuming with the last id it got.
	const messages = 300
	var want []string
	published := make(chan error, 1)
	var mu sync.Mutex
	go func() {
		defer close(published)
		for i := range messages {
			hub, to := a, bus.ToUser("ann")
			if i%2 == 1 {
				hub = b
			}
			if i%3 == 0 {
				to = bus.ToUser("bob") // not for the client
			}
			_, err := hub.Publish(context.Background(), to, "", []byte(strconv.Itoa(i)))
			if err != nil {
				published <- err
				return
			}
			if i%3 != 0 {
				mu.Lock()
				want = append(want, strconv.Itoa(i))
				mu.Unlock()
			}
		}
	}()
	var got []*bus.Message
	last := id
	hubs := []bus.Hub{a, b}
	for move := 0; ; move++ {
		r, s := receive(t, hubs[move%2], bus.Recipient{User: "ann", LastEventID: last})
		// Take a few messages on this instance, then move.
		deadline := time.After(30 * time.Second)
		done := false
		for !done {
			r.mu.Lock()
			n := len(r.msgs)
			r.mu.Unlock()
			if n >= 20 {
				break
			}
			select {
			case <-r.more:
			case err, ok := <-published:
				if ok {
					t.Fatalf("Publish: %v", err)
				}
				done = true
			case <-deadline:
				t.Fatal("timed out")
			}
		}
		s.Unsubscribe()
		if err := r.error(); err != nil {
			t.Fatalf("move %d: %v", move, err)
		}
		r.mu.Lock()
		got = append(got, r.msgs...)
		r.mu.Unlock()
		if len(got) > 0 {
			last = got[len(got)-1].ID
		}
		if done {
			break
		}
	}
	// Everything published by now: resume once more and read to a fence.
	r, _ := receive(t, b, bus.Recipient{User: "ann", LastEventID: last})
	fence := mustPublish(t, a, bus.ToAll(), "fence")
	rest := r.waitFor(t, fence)
	got = append(got, rest[:len(rest)-1]...)
	mu.Lock()
	defer mu.Unlock()
	if g := dataOf(got); !slices.Equal(g, want) {
		t.Fatalf("the moving client got %d messages, want %d:\n got %q\nwant %q", len(g), len(want), g, want)
	}
}

func TestReplayAfterTrim(t *testing.T) {
	url := testenv.RedisURL(t)
	hub := newHub(t, url, &redisbus.Options{Stream: uniqueStream(t, url), HistoryLen: 10})
	var ids []string
	for i := range 500 {
		ids = append(ids, mustPublish(t, hub, bus.ToAll(), strconv.Itoa(i)))
	}
	// MAXLEN ~ trims whole nodes: the stream keeps at least 10 entries,
	// far fewer than 500.
	r, _ := receive(t, hub, bus.Recipient{LastEventID: ids[0]})
	fence := mustPublish(t, hub, bus.ToAll(), "fence")
	ok, _ := receive(t, hub, bus.Recipient{LastEventID: ids[490]})
	got := ok.waitFor(t, fence)
	if want := append(slices.Clone(ids[491:]), fence); !slices.Equal(idsOf(got), want) {
		t.Fatalf("resuming after a kept id: got %d messages, want %d", len(got), len(want))
	}
	if err := r.waitErr(t); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming after a trimmed id: %v, want ErrReplayGap", err)
	}
	if len(r.msgs) != 0 {
		t.Fatalf("got %d messages before the gap", len(r.msgs))
	}
}

func idsOf(msgs []*bus.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

func TestNewErrors(t *testing.T) {
	if _, err := redisbus.New(context.Background(), "http://nope", nil); err == nil {
		t.Error("New with a bad URL: no error")
	}
	// A port that nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := redisbus.New(ctx, "redis://"+addr, nil); err == nil {
		t.Error("New with no server: no error")
	}
}

// redisServer runs a redis-server of the test's own in a temporary
// directory, with an append-only file synced at every write: what it
// acknowledged survives a kill.
type redisServer struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	bin := testenv.RedisServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &redisServer{t: t, bin: bin, dir: t.TempDir(), port: port}
	s.start()
	t.Cleanup(s.kill)
	return s
}

func (s *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(s.port) }

func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--logfile", filepath.Join(s.dir, "redis.log"))
	dieWithTest(s.cmd)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server: %v", err)
	}
	// Wait until it answers (loading the append-only file included).
	deadline := time.Now().Add(20 * time.Second)
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(s.port), MaxRetries: -1})
	defer c.Close()
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			s.t.Fatal("redis-server did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill stops the server at once (SIGKILL), as a crash would.
func (s *redisServer) kill() {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// The fault test: Redis is killed and restarted, and its clients' connections
// cut, while messages flow. Subscribers resume, and every message whose
// Publish succeeded (which the append-only file kept) arrives, once, in order.
func TestRedisRestart(t *testing.T) {
	srv := startRedis(t)
	hub := newHub(t, srv.url(), &redisbus.Options{Stream: "bus", Block: 200 * time.Millisecond, Logger: testLogger(t)})
	f := startFlow(t, hub)

	f.waitAcked(200)
	srv.kill() // crash
	f.waitFailure()
	srv.start()
	f.waitAcked(200)

	// A network drop: the server cuts every client connection.
	admin := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(srv.port)})
	for _, typ := range []string{"normal", "pubsub"} {
		if err := admin.ClientKillByFilter(context.Background(), "TYPE", typ, "SKIPME", "yes").Err(); err != nil {
			t.Fatalf("CLIENT KILL TYPE %s: %v", typ, err)
		}
	}
	admin.Close()
	f.waitAcked(200)
	f.check()
}

// testLogger logs to the test's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// redisIDLess orders stream ids.
func redisIDLess(a, b string) bool {
	var am, as, bm, bs uint64
	fmt.Sscanf(a, "%d-%d", &am, &as)
	fmt.Sscanf(b, "%d-%d", &bm, &bs)
	return am < bm || am == bm && as < bs
}

// A client that comes from another instance may be ahead of this Hub's
// reader: it must get what follows its id, none of what precedes it. The
// reader is held back deterministically by an observer that blocks (the
// reader delivers synchronously).
func TestClientAheadOfReader(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	a := newHub(t, url, &redisbus.Options{Stream: stream})
	b := newHub(t, url, &redisbus.Options{Stream: stream})

	_, release := holdReader(t, b, a)
	m1 := mustPublish(t, a, bus.ToAll(), "1")
	m2 := mustPublish(t, a, bus.ToAll(), "2")
	m3 := mustPublish(t, a, bus.ToAll(), "3")

	fromM2, _ := receive(t, b, bus.Recipient{LastEventID: m2})
	fromM1, _ := receive(t, b, bus.Recipient{LastEventID: m1})
	fromM3, _ := receive(t, b, bus.Recipient{LastEventID: m3})
	release()
	fence := mustPublish(t, a, bus.ToAll(), "fence")
	for _, tt := range []struct {
		r    *received
		want []string
	}{
		{fromM1, []string{"2", "3", "fence"}},
		{fromM2, []string{"3", "fence"}},
		{fromM3, []string{"fence"}},
	} {
		if got := dataOf(tt.r.waitFor(t, fence)); !slices.Equal(got, tt.want) {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// holdReader stops the reader of hub at a message published on other, with
// an observer that blocks in Next (the reader delivers synchronously), until
// release is called. It returns the id of that message.
func holdReader(t *testing.T, hub, other bus.Hub) (hold string, release func()) {
	t.Helper()
	entered, released := make(chan struct{}), make(chan struct{})
	var once sync.Once
	// An anonymous subscriber: its only channel, the broadcasts', is always
	// in place, so the reader itself delivers to it.
	blocker := hub.Subscribe(context.Background(), bus.Recipient{}).Subscribe(context.Background(), rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) {
			if string(m.Data) == "hold" {
				once.Do(func() { close(entered); <-released })
			}
		},
	})
	t.Cleanup(blocker.Unsubscribe)
	release = sync.OnceFunc(func() { close(released) })
	t.Cleanup(release) // runs first: a failing test must not leave the reader held
	hold = mustPublish(t, other, bus.ToAll(), "hold")
	<-entered
	return hold, release
}

// Close while a long replay runs: the stream completes, nothing leaks
// (goleak checks the replay goroutine and the reader).
func TestCloseDuringReplay(t *testing.T) {
	url := testenv.RedisURL(t)
	stream := uniqueStream(t, url)
	opts := &redisbus.Options{Stream: stream, HistoryLen: 10_000}
	// Filled before the hub starts: its reader begins after the last
	// entry, so the replay has 4999 entries to read.
	first := fill(t, newHub(t, url, opts), 5000)[0]
	hub, err := redisbus.New(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var n atomic.Int64
	hub.Subscribe(context.Background(), bus.Recipient{LastEventID: first}).Subscribe(context.Background(), rx.ObserverFuncs[*bus.Message]{
		OnNext:     func(*bus.Message) { n.Add(1) },
		OnError:    func(err error) { done <- err },
		OnComplete: func() { done <- nil },
	})
	if err := hub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("stream ended with %v at Close, want completion", err)
	}
	t.Logf("%d of 4999 messages replayed before Close", n.Load())
}

// MaxAge trims what is older (XTRIM MINID ~, which removes whole nodes of
// the stream: 100 entries by default), so resuming before it is a gap.
func TestMaxAge(t *testing.T) {
	url := testenv.RedisURL(t)
	hub := newHub(t, url, &redisbus.Options{Stream: uniqueStream(t, url), MaxAge: 100 * time.Millisecond})
	var ids []string
	for i := range 150 {
		ids = append(ids, mustPublish(t, hub, bus.ToAll(), strconv.Itoa(i)))
	}
	// Redis ids and MINID come from the clock: let the first 150 age.
	time.Sleep(150 * time.Millisecond)
	last := mustPublish(t, hub, bus.ToAll(), "new")

	gap, _ := receive(t, hub, bus.Recipient{LastEventID: ids[0]})
	ok, _ := receive(t, hub, bus.Recipient{LastEventID: ids[149]})
	if got := ok.waitFor(t, last); len(got) != 1 {
		t.Fatalf("resuming after the newest old message: got %q", dataOf(got))
	}
	if err := gap.waitErr(t); !errors.Is(err, bus.ErrReplayGap) {
		t.Fatalf("resuming after an expired message: %v, want ErrReplayGap", err)
	}
}

// fill publishes n broadcasts from parallel goroutines, with data "0",
// "1", …, and returns their ids in order.
func fill(t *testing.T, hub bus.Hub, n int) []string {
	t.Helper()
	const publishers = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := p; i < n; i += publishers {
				id, err := hub.Publish(context.Background(), bus.ToAll(), "", []byte(strconv.Itoa(i)))
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = id
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	slices.SortFunc(ids, func(a, b string) int {
		if redisIDLess(a, b) {
			return -1
		}
		return 1
	})
	return ids
}

// A replay longer than one XRANGE batch arrives whole and in order, then
// the live messages.
func TestLongReplay(t *testing.T) {
	url := testenv.RedisURL(t)
	opts := &redisbus.Options{Stream: uniqueStream(t, url), HistoryLen: 5000}
	ids := fill(t, newHub(t, url, opts), 2500)
	hub := newHub(t, url, opts)
	r, _ := receive(t, hub, bus.Recipient{LastEventID: ids[0]})
	fence := mustPublish(t, hub, bus.ToAll(), "fence")
	if got, want := idsOf(r.waitFor(t, fence)), append(ids[1:], fence); !slices.Equal(got, want) {
		t.Fatalf("got %d messages, want %d", len(got), len(want))
	}
}

// Clients resume while the history is being trimmed under them (a short
// history, a publisher at full speed): each gets every message after its
// id, or bus.ErrReplayGap and nothing, never a stream with a hole.
func TestReplayWhileTrimming(t *testing.T) {
	url := testenv.RedisURL(t)
	hub := newHub(t, url, &redisbus.Options{Stream: uniqueStream(t, url), HistoryLen: 100})
	var (
		mu  sync.Mutex
		ids []string
	)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id, err := hub.Publish(context.Background(), bus.ToAll(), "", []byte(strconv.Itoa(i)))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ids = append(ids, id)
			mu.Unlock()
		}
	}()
	type client struct {
		after int
		r     *received
	}
	var clients []client
	for back := 0; len(clients) < 40; back += 10 {
		var n int
		waitUntil(t, "more messages", func() bool {
			mu.Lock()
			defer mu.Unlock()
			n = len(ids)
			return n > back+len(clients)*20
		})
		mu.Lock()
		after := n - 1 - back%400
		last := ids[after]
		mu.Unlock()
		r, _ := receive(t, hub, bus.Recipient{LastEventID: last})
		clients = append(clients, client{after: after, r: r})
	}
	close(stop)
	<-stopped
	fence := mustPublish(t, hub, bus.ToAll(), "fence")
	gaps := 0
	for _, c := range clients {
		var got []string
		waitUntil(t, "the stream's end or the fence", func() bool {
			c.r.mu.Lock()
			defer c.r.mu.Unlock()
			got = idsOf(c.r.msgs)
			return c.r.err != nil || slices.Contains(got, fence)
		})
		if err := c.r.error(); err != nil {
			if !errors.Is(err, bus.ErrReplayGap) || len(got) != 0 {
				t.Fatalf("resuming after message %d: %v after %d messages, want ErrReplayGap and none", c.after, err, len(got))
			}
			gaps++
			continue
		}
		if want := append(slices.Clone(ids[c.after+1:]), fence); !slices.Equal(got, want) {
			t.Fatalf("resuming after message %d: got %d messages, want %d", c.after, len(got), len(want))
		}
	}
	t.Logf("%d of %d clients resumed, %d were told of a gap", len(clients)-gaps, len(clients), gaps)
	if gaps == 0 || gaps == len(clients) {
		t.Fatalf("%d gaps in %d resumptions: the history was not trimmed under them", gaps, len(clients))
	}
}

// Data over MaxMessageBytes is refused with bus.ErrTooLarge, as the memory
// hub refuses it; at the limit it is published.
func TestMaxMessageBytes(t *testing.T) {
	url := testenv.RedisURL(t)
	hub := newHub(t, url, &redisbus.Options{Stream: uniqueStream(t, url), MaxMessageBytes: 1000})
	if _, err := hub.Publish(context.Background(), bus.ToAll(), "", make([]byte, 1001)); !errors.Is(err, bus.ErrTooLarge) {
		t.Fatalf("Publish of 1001 bytes: %v, want ErrTooLarge", err)
	}
	if _, err := hub.Publish(context.Background(), bus.ToAll(), "", make([]byte, 1000)); err != nil {
		t.Fatalf("Publish of 1000 bytes: %v", err)
	}
}
