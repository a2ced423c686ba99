package redisbus_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
)

// flow publishes without pause, round robin over its hubs, to everyone, to
// ann and to bob, and records which publishes succeeded (acknowledged) and
// what its connections receive, so that a fault test can check, once the
// fault is over, that every acknowledged message arrived, once, in order.
type flow struct {
	t     *testing.T
	hubs  []bus.Hub
	conns []*flowConn

	mu        sync.Mutex
	acked     int
	failures  int
	attempted map[string]bool

	stop chan struct{}
	done chan struct{}
}

type flowConn struct {
	sub  bus.Recipient
	r    *received
	want []string // ids of the acknowledged messages for it
}

// startFlow subscribes ann, bob and an anonymous client (on the hubs in
// turn) and starts publishing.
func startFlow(t *testing.T, hubs ...bus.Hub) *flow {
	f := &flow{t: t, hubs: hubs, attempted: map[string]bool{}, stop: make(chan struct{}), done: make(chan struct{})}
	for i, sub := range []bus.Recipient{{User: "ann"}, {User: "bob"}, {}} {
		c := &flowConn{sub: sub}
		c.r, _ = receive(t, hubs[i%len(hubs)], sub)
		f.conns = append(f.conns, c)
	}
	go f.publish()
	t.Cleanup(f.finish)
	return f
}

func (f *flow) publish() {
	defer close(f.done)
	for i := 0; ; i++ {
		select {
		case <-f.stop:
			return
		default:
		}
		to := bus.ToAll()
		switch i % 3 {
		case 1:
			to = bus.ToUser("ann")
		case 2:
			to = bus.ToUser("bob")
		}
		data := strconv.Itoa(i)
		f.mu.Lock()
		f.attempted[data] = true
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		id, err := f.hubs[i%len(f.hubs)].Publish(ctx, to, "", []byte(data))
		cancel()
		f.mu.Lock()
		if err != nil {
			f.failures++
		} else {
			f.acked++
			for _, c := range f.conns {
				if c.sub.Receives(&bus.Message{ID: id, Users: to.Users()}) {
					c.want = append(c.want, id)
				}
			}
		}
		f.mu.Unlock()
		if err != nil {
			time.Sleep(5 * time.Millisecond) // Redis is down: do not spin
		}
	}
}

// ackedCount returns the number of publishes that succeeded so far.
func (f *flow) ackedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.acked
}

// waitAcked waits until n more publishes than now have succeeded.
func (f *flow) waitAcked(n int) {
	f.t.Helper()
	target := f.ackedCount() + n
	waitUntil(f.t, strconv.Itoa(target)+" publishes succeeded", func() bool { return f.ackedCount() >= target })
}

// waitFailure waits until a publish has failed.
func (f *flow) waitFailure() {
	f.t.Helper()
	waitUntil(f.t, "a publish failed", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.failures > 0
	})
}

func (f *flow) finish() {
	select {
	case <-f.stop:
	default:
		close(f.stop)
	}
	<-f.done
}

// check stops publishing, publishes a fence, and checks what each
// connection got: every acknowledged message, in order, once; anything else
// it got was attempted (its acknowledgement was lost).
func (f *flow) check() {
	f.t.Helper()
	f.finish()
	fence := mustPublish(f.t, f.hubs[0], bus.ToAll(), "fence")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t.Logf("%d publishes succeeded, %d failed while Redis was down", f.acked, f.failures)
	for _, c := range f.conns {
		got := c.r.waitFor(f.t, fence)
		got = got[:len(got)-1]
		seen := map[string]bool{}
		wanted := map[string]bool{}
		for _, id := range c.want {
			wanted[id] = true
		}
		var gotAcked []string
		for i, m := range got {
			if seen[string(m.Data)] {
				f.t.Fatalf("%+v: message %q arrived twice", c.sub, m.Data)
			}
			seen[string(m.Data)] = true
			if !f.attempted[string(m.Data)] {
				f.t.Fatalf("%+v: message %q was never published", c.sub, m.Data)
			}
			if i > 0 && redisIDLess(m.ID, got[i-1].ID) {
				f.t.Fatalf("%+v: %s after %s", c.sub, m.ID, got[i-1].ID)
			}
			if wanted[m.ID] {
				gotAcked = append(gotAcked, m.ID)
			}
		}
		if !slices.Equal(gotAcked, c.want) {
			f.t.Fatalf("%+v: got %d of the %d acknowledged messages", c.sub, len(gotAcked), len(c.want))
		}
	}
}
