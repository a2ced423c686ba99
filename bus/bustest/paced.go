package bustest

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rxsse/rxsse/bus"
)

// pacedPublisher broadcasts numbered messages while clients subscribe, so
// that subscribing and publishing overlap: it keeps at most pace messages
// ahead of the clients that have said they subscribed (joined), and once
// stopped publishes 20 more, so that the last clients see live messages too.
type pacedPublisher struct {
	pace    int64
	joined  atomic.Int64
	stopped chan struct{}
	done    chan error

	mu  sync.Mutex
	ids []string // of the messages published so far, in order
}

func startPacedPublisher(hub bus.Hub, pace int64) *pacedPublisher {
	p := &pacedPublisher{pace: pace, stopped: make(chan struct{}), done: make(chan error, 1)}
	go p.run(hub)
	return p
}

func (p *pacedPublisher) run(hub bus.Hub) {
	more := 20
	for i := 0; more > 0; i++ {
		select {
		case <-p.stopped:
			more--
		default:
			for int64(i) >= p.pace*(p.joined.Load()+1) {
				runtime.Gosched()
			}
		}
		id, err := hub.Publish(context.Background(), bus.ToAll(), "", []byte(strconv.Itoa(i)))
		if err != nil {
			p.done <- err
			return
		}
		p.mu.Lock()
		p.ids = append(p.ids, id)
		p.mu.Unlock()
	}
	p.done <- nil
}

// join counts one more client as subscribed, letting the publisher go on.
func (p *pacedPublisher) join() { p.joined.Add(1) }

// latest returns the index and id of the last message published, or -1 and
// "" before the first.
func (p *pacedPublisher) latest() (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		return -1, ""
	}
	return len(p.ids) - 1, p.ids[len(p.ids)-1]
}

// finish stops the publisher, waits for its last messages and returns the
// ids of every message it published.
func (p *pacedPublisher) finish(t *testing.T) []string {
	t.Helper()
	close(p.stopped)
	if err := <-p.done; err != nil {
		t.Fatalf("Publish: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ids
}
