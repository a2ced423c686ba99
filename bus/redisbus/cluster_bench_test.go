package redisbus_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/rx"
)

// BenchmarkClusterScaleOut publishes per-user messages through 1, 2 and 4
// hubs (instances, here in one process) on a local 3-master cluster, to
// 4,000 users spread evenly over the hubs, one connection each, and reports:
// msgs/s delivered end to end (first publish to last delivery), the share
// of all messages that each hub received from Redis (%recv/hub), the CPU
// time of the bus's Redis node per message (redis-µs/msg) and of this
// process (publishers, hubs, subscribers: go-µs/msg). It runs with the
// nodes' append-only file synced at every write (appendfsync always, the
// setting the fault test promises with) and once a second (everysec).
//
//	go test -run '^$' -bench ClusterScaleOut -benchtime 20000x -count 3 ./bus/redisbus/
func BenchmarkClusterScaleOut(b *testing.B) {
	for _, fsync := range []string{"always", "everysec"} {
		b.Run("appendfsync="+fsync, func(b *testing.B) {
			scaleOut(b, startClusterFsync(b, fsync))
		})
	}
}

func scaleOut(b *testing.B, c *cluster) {
	const users, publishers = 4000, 16
	// Publishing alone, to users subscribed nowhere: the publishers' share
	// of go-µs/msg, and the node's cost of the script without a subscriber.
	b.Run("publish-only", func(b *testing.B) {
		stream := uniqueStream(b, c.url())
		node := c.nodes[c.nodeOf(stream)]
		hubs := []*redisbus.Hub{newHub(b, c.url(), &redisbus.Options{Stream: stream})}
		redisCPU, goCPU := cpuOf(b, node.cmd.Process.Pid), selfCPU()
		b.ResetTimer()
		publishAll(b, hubs, b.N, users, publishers)
		b.StopTimer()
		redisCPU, goCPU = cpuOf(b, node.cmd.Process.Pid)-redisCPU, selfCPU()-goCPU
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		b.ReportMetric(float64(redisCPU.Microseconds())/float64(b.N), "redis-µs/msg")
		b.ReportMetric(float64(goCPU.Microseconds())/float64(b.N), "go-µs/msg")
		b.ReportMetric(0, "ns/op")
	})
	for _, k := range []int{1, 2, 4} {
		b.Run("hubs="+strconv.Itoa(k), func(b *testing.B) {
			stream := uniqueStream(b, c.url())
			node := c.nodes[c.nodeOf(stream)]
			hubs := make([]*redisbus.Hub, k)
			for i := range hubs {
				hubs[i] = newHub(b, c.url(), &redisbus.Options{Stream: stream})
			}
			var delivered, target atomic.Int64
			done := make(chan struct{})
			ctx := context.Background()
			for u := range users {
				s := hubs[u%k].Subscribe(ctx, bus.Recipient{User: "user-" + strconv.Itoa(u)}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
					OnNext: func(*bus.Message) {
						if delivered.Add(1) == target.Load() {
							close(done)
						}
					},
				})
				b.Cleanup(s.Unsubscribe)
			}
			// Warm up: one message to each user, which also shows that every
			// subscription is live.
			target.Store(users)
			publishAll(b, hubs, 0, users, users)
			wait(b, done, &delivered, users)

			done = make(chan struct{})
			delivered.Store(0)
			target.Store(int64(b.N))
			before := make([]redisbus.Stats, k)
			for i, h := range hubs {
				before[i] = h.Stats()
			}
			redisCPU, goCPU := cpuOf(b, node.cmd.Process.Pid), selfCPU()
			b.ResetTimer()
			publishAll(b, hubs, b.N, users, publishers)
			wait(b, done, &delivered, int64(b.N))
			b.StopTimer()
			redisCPU, goCPU = cpuOf(b, node.cmd.Process.Pid)-redisCPU, selfCPU()-goCPU
			var share float64
			for i, h := range hubs {
				st := h.Stats()
				share += float64(st.Live-before[i].Live+st.CaughtUp-before[i].CaughtUp) / float64(b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(100*share/float64(k), "%recv/hub")
			b.ReportMetric(float64(redisCPU.Microseconds())/float64(b.N), "redis-µs/msg")
			b.ReportMetric(float64(goCPU.Microseconds())/float64(b.N), "go-µs/msg")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// publishAll publishes n per-user messages (message i to user i*7919 mod
// users, through hub i mod len(hubs)) from p goroutines.
func publishAll(b *testing.B, hubs []*redisbus.Hub, n, users, p int) {
	if n == 0 {
		n = users
	}
	var wg sync.WaitGroup
	data := []byte(`{"text":"a message of about sixty bytes for one user"}`)
	for g := range p {
		wg.Go(func() {
			for i := g; i < n; i += p {
				u := i * 7919 % users
				if _, err := hubs[i%len(hubs)].Publish(context.Background(), bus.ToUser("user-"+strconv.Itoa(u)), "", data); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func wait(b *testing.B, done chan struct{}, delivered *atomic.Int64, n int64) {
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		b.Fatalf("delivered %d of %d", delivered.Load(), n)
	}
}

// cpuOf returns the CPU time (user and system) that process pid used so far.
func cpuOf(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	// Fields after the command name (which may hold spaces) start at ") ".
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// selfCPU returns the CPU time this process used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
