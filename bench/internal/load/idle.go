package load

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
)

// IdleConfig describes one idle run.
type IdleConfig struct {
	Conns int // streams held open on the forever route
	// Hold is how long the streams stay open once all are connected, before
	// the server's memory is read. Default 5 s.
	Hold time.Duration
	// Timeout bounds connecting. Default 2 minutes.
	Timeout time.Duration
	// DialParallel is how many connections are opened at once. Default 64.
	DialParallel int
	// Progress, when set, is called a few times a second.
	Progress func(Progress)
}

// IdleResult is what one idle run measured.
type IdleResult struct {
	Conns, Connected int
	Sources          int // loopback source addresses used
	Connect          time.Duration
	Hold             time.Duration
	// RSSBefore and RSSAfter are the server's resident memory before the
	// first connection and at the end of the hold; PerConn is their
	// difference divided by Conns (bytes). ServerKnown is false when the
	// server's memory could not be read.
	RSSBefore, RSSAfter int64
	PerConn             float64
	ServerKnown         bool
	// Runtime figures per connection from the server's stats route (this
	// project's servers): goroutines, live heap and goroutine stacks.
	// RuntimeKnown is false for other servers.
	RuntimeKnown                                 bool
	GoroutinesPerConn, HeapPerConn, StackPerConn float64
	// ClientPerConn is the load client's own RSS growth per connection.
	ClientPerConn float64
	// EventsPerConnPerSec is what each stream received during the hold
	// (about 1 for the forever route: it shows the streams are live).
	EventsPerConnPerSec float64
	// ClientCPU and ServerCPU are the CPU time used during the hold.
	ClientCPU, ServerCPU time.Duration
	Disconnected         int
	FirstError           string
}

// Idle opens cfg.Conns streams to t's forever route, holds them, and reads
// how much memory the server's process gained per connection.
func Idle(ctx context.Context, t *Target, cfg IdleConfig) (IdleResult, error) {
	if cfg.Conns <= 0 {
		return IdleResult{}, fmt.Errorf("load: idle: bad connection count %d", cfg.Conns)
	}
	if cfg.Hold <= 0 {
		cfg.Hold = 5 * time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.DialParallel <= 0 {
		cfg.DialParallel = 64
	}
	if _, err := contract.RaiseFileLimit(uint64(cfg.Conns) + 1024); err != nil {
		return IdleResult{}, fmt.Errorf("load: idle: %w", err)
	}
	d, err := newDialer(t, cfg.Conns, 512)
	if err != nil {
		return IdleResult{}, err
	}
	res := IdleResult{Conns: cfg.Conns, Sources: d.Sources(), Hold: cfg.Hold}
	u0 := t.Usage(ctx)
	self0, _ := contract.ProcessRSS(os.Getpid())

	r := &idleRun{conns: cfg.Conns}
	r.phase.Store("connecting")
	stop := r.reportProgress(cfg.Progress)
	defer stop()
	defer r.closeAll()

	start := time.Now()
	dialCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	r.open(dialCtx, d, cfg.DialParallel)
	cancel()
	res.Connect = time.Since(start)
	res.Connected = int(r.connected.Load())
	if res.Connected != cfg.Conns {
		return res, fmt.Errorf("load: idle: %d of %d streams opened: %s", res.Connected, cfg.Conns, r.firstError())
	}

	r.phase.Store("holding")
	ev0, cpu0, u1 := r.events.Load(), contract.SelfCPU(), t.Usage(ctx)
	select {
	case <-time.After(cfg.Hold):
	case <-ctx.Done():
		return res, fmt.Errorf("load: idle: %w", ctx.Err())
	}
	ev1, cpu1, u2 := r.events.Load(), contract.SelfCPU(), t.Usage(ctx)
	self1, _ := contract.ProcessRSS(os.Getpid())

	res.EventsPerConnPerSec = float64(ev1-ev0) / float64(cfg.Conns) / cfg.Hold.Seconds()
	res.ClientCPU = cpu1 - cpu0
	res.ClientPerConn = float64(self1-self0) / float64(cfg.Conns)
	if u0.Known && u1.Known && u2.Known {
		res.ServerKnown = true
		res.RSSBefore, res.RSSAfter = u0.RSS, u2.RSS
		res.PerConn = float64(u2.RSS-u0.RSS) / float64(cfg.Conns)
		res.ServerCPU = u2.CPU - u1.CPU
	}
	if u0.Runtime && u2.Runtime {
		c := float64(cfg.Conns)
		res.RuntimeKnown = true
		res.GoroutinesPerConn = float64(u2.Goroutines-u0.Goroutines) / c
		res.HeapPerConn = float64(u2.HeapLive-u0.HeapLive) / c
		res.StackPerConn = float64(u2.Stacks-u0.Stacks) / c
	}
	r.phase.Store("closing")
	r.closeAll()
	res.Disconnected = int(r.disconnected.Load())
	res.FirstError = r.firstError()
	return res, nil
}

// idleRun is the shared state of one idle run.
type idleRun struct {
	conns        int
	phase        atomic.Value
	connected    atomic.Int64
	events       atomic.Int64
	disconnected atomic.Int64

	mu      sync.Mutex
	streams []*stream
	closed  bool
	firstEr string
	readers sync.WaitGroup
}

func (r *idleRun) open(ctx context.Context, d *dialer, parallel int) {
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(parallel, r.conns) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= r.conns || ctx.Err() != nil {
					return
				}
				s, err := d.open(ctx, i, contract.PathForever)
				if err != nil {
					r.fail(err)
					return
				}
				r.mu.Lock()
				if r.closed {
					r.mu.Unlock()
					s.close()
					return
				}
				r.streams = append(r.streams, s)
				r.mu.Unlock()
				r.connected.Add(1)
				r.readers.Go(func() { r.read(s) })
			}
		})
	}
	wg.Wait()
}

func (r *idleRun) read(s *stream) {
	buf := make([]byte, 512)
	p := parser{onEvent: func([]byte) { r.events.Add(1) }}
	for {
		n, err := s.body.Read(buf)
		p.feed(buf[:n])
		if err != nil {
			r.mu.Lock()
			closing := r.closed
			r.mu.Unlock()
			if !closing {
				r.disconnected.Add(1)
				r.fail(fmt.Errorf("load: stream ended: %w", err))
			}
			return
		}
	}
}

func (r *idleRun) fail(err error) {
	r.mu.Lock()
	if r.firstEr == "" {
		r.firstEr = err.Error()
	}
	r.mu.Unlock()
}

func (r *idleRun) firstError() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstEr
}

func (r *idleRun) closeAll() {
	r.mu.Lock()
	r.closed = true
	streams := r.streams
	r.streams = nil
	r.mu.Unlock()
	for _, s := range streams {
		s.close()
	}
	r.readers.Wait()
}

func (r *idleRun) reportProgress(f func(Progress)) (stop func()) {
	if f == nil {
		return func() {}
	}
	return every(250*time.Millisecond, func() {
		f(Progress{Phase: r.phase.Load().(string), Conns: r.conns, Connected: int(r.connected.Load()),
			Events: r.events.Load()})
	})
}
