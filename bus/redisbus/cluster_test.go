package redisbus_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/bustest"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/rx"
)

// The conformance suite on a cluster: each subtest's stream (and so its
// channels) lands on one of the three nodes.
func TestClusterConformance(t *testing.T) {
	c := startCluster(t)
	bustest.Run(t, func(t *testing.T) bus.Hub {
		return newHub(t, c.url(), &redisbus.Options{Stream: uniqueStream(t, c.url())})
	})
}

// cluster is a Redis Cluster of the test's own: three masters without
// replicas on free ports, each in its own directory with an append-only file
// synced at every write (appendfsync always), and
// cluster-require-full-coverage off, so that the slots of the other nodes
// stay available while one node is down. The test stops it by pid.
type cluster struct {
	t     testing.TB
	bin   string
	fsync string // appendfsync
	nodes []*clusterNode
}

type clusterNode struct {
	port, busPort int
	dir           string
	cmd           *exec.Cmd
}

func (n *clusterNode) addr() string { return "127.0.0.1:" + strconv.Itoa(n.port) }

// startCluster starts the cluster, waits until its state is ok, and stops it
// when the test ends.
func startCluster(t testing.TB) *cluster { return startClusterFsync(t, "always") }

// startClusterFsync starts a cluster whose nodes use the appendfsync policy
// fsync ("always", "everysec", or "no").
func startClusterFsync(t testing.TB, fsync string) *cluster {
	t.Helper()
	c := &cluster{t: t, bin: testenv.RedisServer(t), fsync: fsync}
	cli := redisCLI(t)
	ports := freePorts(t, 6)
	for i := range 3 {
		n := &clusterNode{port: ports[2*i], busPort: ports[2*i+1], dir: t.TempDir()}
		c.nodes = append(c.nodes, n)
		c.start(n)
	}
	t.Cleanup(c.stop)
	args := []string{"--cluster", "create"}
	for _, n := range c.nodes {
		args = append(args, n.addr())
	}
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.waitOK()
	return c
}

// url is the address of the cluster for redisbus.New.
func (c *cluster) url() string {
	addrs := make([]string, len(c.nodes))
	for i, n := range c.nodes {
		addrs[i] = n.addr()
	}
	return "redis+cluster://" + strings.Join(addrs, ",")
}

func (c *cluster) start(n *clusterNode) {
	c.t.Helper()
	n.cmd = exec.Command(c.bin,
		"--port", strconv.Itoa(n.port), "--cluster-port", strconv.Itoa(n.busPort),
		"--bind", "127.0.0.1", "--dir", n.dir,
		"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "no",
		"--appendonly", "yes", "--appendfsync", c.fsync, "--save", "",
		"--logfile", filepath.Join(n.dir, "redis.log"))
	dieWithTest(n.cmd)
	if err := n.cmd.Start(); err != nil {
		c.t.Fatalf("starting redis-server: %v", err)
	}
	client := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
	defer client.Close()
	waitUntil(c.t, "redis-server on "+n.addr()+" answers", func() bool {
		return client.Ping(context.Background()).Err() == nil
	})
}

// kill stops node i at once (SIGKILL), as a crash would.
func (c *cluster) kill(i int) {
	n := c.nodes[i]
	if n.cmd != nil {
		n.cmd.Process.Kill()
		n.cmd.Wait()
		n.cmd = nil
	}
}

// restart starts node i again, from its directory, and waits until the
// cluster is ok.
func (c *cluster) restart(i int) {
	c.t.Helper()
	c.start(c.nodes[i])
	c.waitOK()
}

func (c *cluster) stop() {
	for i := range c.nodes {
		c.kill(i)
	}
}

// waitOK waits until every node reports cluster_state:ok.
func (c *cluster) waitOK() {
	c.t.Helper()
	for _, n := range c.nodes {
		client := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
		waitUntil(c.t, "cluster state ok on "+n.addr(), func() bool {
			info, err := client.ClusterInfo(context.Background()).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok")
		})
		client.Close()
	}
}

// nodeOf returns the index of the node that serves key's slot.
func (c *cluster) nodeOf(key string) int {
	c.t.Helper()
	client := redis.NewClient(&redis.Options{Addr: c.nodes[0].addr()})
	defer client.Close()
	ctx := context.Background()
	slot, err := client.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		c.t.Fatal(err)
	}
	slots, err := client.ClusterSlots(ctx).Result()
	if err != nil {
		c.t.Fatal(err)
	}
	for _, s := range slots {
		if int64(s.Start) <= slot && slot <= int64(s.End) {
			for i, n := range c.nodes {
				if s.Nodes[0].Addr == n.addr() {
					return i
				}
			}
		}
	}
	c.t.Fatalf("no node serves slot %d", slot)
	return -1
}

// waitUntil polls cond until it holds, for up to 30 seconds.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// freePorts returns n distinct ports that were free a moment ago.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// redisCLI returns the path of redis-cli, needed to create a cluster. Like
// testenv's finders, it skips the test when it is missing, or fails it when
// the run requires Redis (RXSSE_REQUIRE).
func redisCLI(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("redis-cli")
	if err == nil {
		return p
	}
	for _, s := range strings.Split(os.Getenv("RXSSE_REQUIRE"), ",") {
		if s = strings.TrimSpace(s); s == "redis" || s == "all" {
			t.Fatalf("redis is required by this run (RXSSE_REQUIRE) but redis-cli is not installed")
		}
	}
	t.Skip("skipping: redis: redis-cli is not installed (run `make test` to install it)")
	return ""
}

// Four hubs (instances) on one cluster, 4,000 users spread evenly, one
// connection each, per-user traffic: each hub reads from Redis only its
// users' messages (about a quarter; at most 30% is asserted, resumptions
// included), every message reaches its user exactly once, in order, and
// clients that move from hub to hub while messages flow resume with their
// last id without gap or duplicate.
func TestClusterScaleOut(t *testing.T) {
	const hubs, users, messages, movers, moves, publishers = 4, 4000, 8000, 40, 3, 8
	c := startCluster(t)
	stream := uniqueStream(t, c.url())
	var hs []*redisbus.Hub
	for i := range hubs {
		url := c.url()
		if i == 1 {
			url = strings.TrimPrefix(url, "redis+cluster://") // a bare list of nodes
		}
		hs = append(hs, newHub(t, url, &redisbus.Options{Stream: stream}))
	}
	userName := func(u int) string { return "user-" + strconv.Itoa(u) }

	// Users 0..movers-1 move; the others stay on hub u%hubs.
	steady := make([]*received, users)
	for u := movers; u < users; u++ {
		steady[u], _ = receive(t, hs[u%hubs], bus.Recipient{User: userName(u)})
	}
	type mover struct {
		got  []*bus.Message // messages, marks dropped
		last string
		r    *received
		s    rx.Subscription
		at   int
	}
	ms := make([]*mover, movers)
	for u := range ms {
		m := &mover{at: u % hubs}
		m.r, m.s = receive(t, hs[m.at], bus.Recipient{User: userName(u), Mark: true})
		ms[u] = m
	}
	var (
		mu   sync.Mutex
		sent = make([][]string, users) // ids sent to each user
	)
	// A first message to each user, once every subscription is live, so
	// that the counts below are those of the steady state (a new
	// subscription also reads its own history while its channel is being
	// set up).
	for u := range users {
		sent[u] = append(sent[u], mustPublish(t, hs[u%hubs], bus.ToUser(userName(u)), "hello"))
	}
	for u := range users {
		if u < movers {
			ms[u].r.waitFor(t, sent[u][0])
		} else {
			steady[u].waitFor(t, sent[u][0])
		}
	}
	before := make([]redisbus.Stats, hubs)
	for i, h := range hs {
		before[i] = h.Stats()
	}

	var wg sync.WaitGroup
	errs := make(chan error, publishers)
	for p := range publishers {
		wg.Go(func() {
			for k := p; k < messages; k += publishers {
				u := (k * 7919) % users
				id, err := hs[k%hubs].Publish(context.Background(), bus.ToUser(userName(u)), "", []byte(strconv.Itoa(k)))
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				sent[u] = append(sent[u], id)
				mu.Unlock()
			}
		})
	}
	// Meanwhile the movers move, each time resuming after the last id they
	// got (a message or the start mark).
	take := func(m *mover) {
		m.s.Unsubscribe()
		m.r.mu.Lock()
		defer m.r.mu.Unlock()
		if m.r.err != nil {
			t.Fatalf("mover: %v", m.r.err)
		}
		for _, msg := range m.r.msgs {
			m.last = msg.ID
			if !msg.IsMark() {
				m.got = append(m.got, msg)
			}
		}
	}
	for move := range moves {
		for u, m := range ms {
			// A client resumes after the last id it got: at least the start
			// mark, which its subscription sends first.
			waitUntil(t, "a start mark", func() bool {
				m.r.mu.Lock()
				defer m.r.mu.Unlock()
				return len(m.r.msgs) > 0 || m.r.err != nil
			})
			take(m)
			if m.last == "" {
				t.Fatalf("mover %d has no id to resume after", u)
			}
			m.at = (m.at + 1 + move) % hubs
			m.r, m.s = receive(t, hs[m.at], bus.Recipient{User: userName(u), LastEventID: m.last, Mark: true})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Publish: %v", err)
	}
	after := make([]redisbus.Stats, hubs)
	for i, h := range hs {
		after[i] = h.Stats()
	}

	// A last message to each user is the fence of its connection.
	fences := make([]string, users)
	for u := range users {
		fences[u] = mustPublish(t, hs[u%hubs], bus.ToUser(userName(u)), "fence")
	}
	for u := range users {
		var got []*bus.Message
		if u < movers {
			m := ms[u]
			m.r.waitFor(t, fences[u])
			take(m)
			got = m.got
		} else {
			got = steady[u].waitFor(t, fences[u])
		}
		got = got[:len(got)-1]
		if g := idsOf(got); !slices.Equal(g, sent[u]) {
			t.Fatalf("user %d (mover: %v): got %d messages, want %d:\n got %q\nwant %q", u, u < movers, len(g), len(sent[u]), g, sent[u])
		}
	}

	// Everything a hub read from Redis counts: live copies, catch-ups, and
	// the histories read by the movers' resumptions.
	for i := range hs {
		live, caughtUp, replayed := after[i].Live-before[i].Live, after[i].CaughtUp-before[i].CaughtUp, after[i].Replayed-before[i].Replayed
		share := float64(live+caughtUp+replayed) / messages
		t.Logf("hub %d read %.1f%% of the %d messages: %d live, %d caught up, %d replayed (%d resumptions)",
			i, 100*share, messages, live, caughtUp, replayed, movers*moves/hubs)
		if share > 0.30 {
			t.Errorf("hub %d read %.1f%% of the messages, want at most 30%%", i, 100*share)
		}
	}
}

// The fault test on a cluster without replicas. Killing the node that holds
// the bus's slot stops publishing (Publish fails: nothing is acknowledged)
// until it is back; restarted from its append-only file (appendfsync
// always), it has every acknowledged message, and every subscriber, on
// either hub, gets each of them once, in order. Killing another node does
// not stop the bus at all (cluster-require-full-coverage no).
func TestClusterNodeRestart(t *testing.T) {
	c := startCluster(t)
	stream := "{fault}:bus"
	holder := c.nodeOf(stream)
	other := (holder + 1) % len(c.nodes)
	opts := &redisbus.Options{Stream: stream, Block: 200 * time.Millisecond, Logger: testLogger(t)}
	a, b := newHub(t, c.url(), opts), newHub(t, c.url(), opts)
	f := startFlow(t, a, b)

	f.waitAcked(200)
	c.kill(other)
	f.waitAcked(200) // the bus does not need that node
	c.restart(other)

	f.waitAcked(200)
	c.kill(holder) // crash of the bus's node
	f.waitFailure()
	c.restart(holder)
	f.waitAcked(200)
	f.check()
}
