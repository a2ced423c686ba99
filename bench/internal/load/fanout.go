package load

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
)

// FanoutConfig describes one fanout run.
type FanoutConfig struct {
	Conns  int // C: streams opened to the fanout route
	Events int // N: events published
	Size   int // bytes of padding in each event
	// Timeout bounds the whole run (connecting, publishing, receiving).
	// Default 2 minutes.
	Timeout time.Duration
	// DialParallel is how many connections are opened at once. Default 64.
	DialParallel int
	// Progress, when set, is called a few times a second.
	Progress func(Progress)
}

// FanoutResult is what one fanout run measured.
type FanoutResult struct {
	Conns, Events, Size int
	// Expected is Conns×Events; Received counts first arrivals only.
	Expected, Received int64
	// Duration runs from just before the publish request to the arrival of
	// the last expected event.
	Duration     time.Duration
	EventsPerSec float64
	// Publish is how long the publish request took.
	Publish time.Duration
	// Connect is how long opening every stream and seeing the server
	// report them took.
	Connect time.Duration
	// Latency is the publish-to-receive latency over every received event
	// (from the event's t field to the read that brought it).
	Latency Percentiles
	Integrity
	// ClientCPU and ServerCPU are the CPU time each side used during
	// Duration; ServerCPU is zero when unknown (ServerKnown false).
	ClientCPU, ServerCPU time.Duration
	ServerKnown          bool
	// OtherCPU is the CPU time the rest of the machine used meanwhile (all
	// processes less client and server; known with the server's): on a
	// shared machine it shows a disturbed run.
	OtherCPU time.Duration
}

// Integrity says whether every client got every event once, in order.
type Integrity struct {
	// Complete is the number of clients that got seq 0..N-1 exactly once
	// and in order.
	Complete int
	// Missing counts events never received; Duplicates events received
	// again; Reordered events received after a later one; Unexpected
	// events whose seq was outside 0..N-1 or whose data was not a payload.
	Missing, Duplicates, Reordered, Unexpected int64
	// Disconnected counts streams that ended before the run did.
	Disconnected int
	// FirstError is the first connection error seen, if any.
	FirstError string
}

// OK reports whether the run delivered everything exactly.
func (i Integrity) OK(conns int) bool {
	return i.Complete == conns && i.Missing == 0 && i.Duplicates == 0 && i.Reordered == 0 &&
		i.Unexpected == 0 && i.Disconnected == 0
}

// Percentiles of a latency distribution.
type Percentiles struct {
	P50, P90, P99, Max time.Duration
}

// ErrNotReady is returned when the server never reported the expected
// number of subscribers.
var ErrNotReady = errors.New("load: server did not report the subscribers")

// fanClient is the state of one fanout stream. Only its reader goroutine
// touches it until the run ends.
type fanClient struct {
	n        int
	seen     []uint64 // bitmap of received seqs
	distinct int
	maxSeq   int
	inOrder  bool
	now      int64 // time of the read being parsed (unix ns)
	doneAt   int64
	lat      []int64
	dups     int64
	reorder  int64
	unexpect int64
	parser   parser
}

func newFanClient(n int) *fanClient {
	c := &fanClient{n: n, seen: make([]uint64, (n+63)/64), maxSeq: -1, inOrder: true,
		lat: make([]int64, 0, n)}
	c.parser.onEvent = c.event
	return c
}

func (c *fanClient) event(data []byte) {
	t, seq, ok := contract.ParsePayload(data)
	if !ok || seq < 0 || seq >= c.n {
		c.unexpect++
		return
	}
	w, b := seq/64, uint64(1)<<(seq%64)
	if c.seen[w]&b != 0 {
		c.dups++
		c.inOrder = false
		return
	}
	c.seen[w] |= b
	c.distinct++
	if seq < c.maxSeq {
		c.reorder++
		c.inOrder = false
	} else {
		c.maxSeq = seq
	}
	c.lat = append(c.lat, c.now-t)
	if c.distinct == c.n {
		c.doneAt = c.now
	}
}

func (c *fanClient) done() bool { return c.distinct == c.n }

// Fanout opens cfg.Conns streams to t's fanout route, waits until the server
// reports them, asks it to publish cfg.Events events, and measures until
// every client has every event (or the timeout).
func Fanout(ctx context.Context, t *Target, cfg FanoutConfig) (FanoutResult, error) {
	if cfg.Conns <= 0 || cfg.Events <= 0 || cfg.Size < 0 {
		return FanoutResult{}, fmt.Errorf("load: fanout: bad config c=%d n=%d size=%d", cfg.Conns, cfg.Events, cfg.Size)
	}
	if int64(cfg.Conns)*int64(cfg.Events) > 50_000_000 {
		return FanoutResult{}, fmt.Errorf("load: fanout: c×n above 50,000,000 (latency samples would not fit)")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.DialParallel <= 0 {
		cfg.DialParallel = 64
	}
	if _, err := contract.RaiseFileLimit(uint64(cfg.Conns) + 1024); err != nil {
		return FanoutResult{}, fmt.Errorf("load: fanout: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()

	if err := waitSubscribers(ctx, t, func(k int) bool { return k == 0 }); err != nil {
		return FanoutResult{}, fmt.Errorf("load: fanout: before the run the server still has subscribers: %w", err)
	}
	d, err := newDialer(t, cfg.Conns, 32<<10, 0)
	if err != nil {
		return FanoutResult{}, err
	}

	r := &fanRun{cfg: cfg, allDone: make(chan struct{})}
	res := FanoutResult{Conns: cfg.Conns, Events: cfg.Events, Size: cfg.Size,
		Expected: int64(cfg.Conns) * int64(cfg.Events)}
	stopProgress := r.reportProgress(cfg.Progress)
	defer stopProgress()

	start := time.Now()
	r.phase.Store("connecting")
	clients := r.open(ctx, d)
	defer r.closeAll()
	if r.connected.Load() != int64(cfg.Conns) {
		return res, fmt.Errorf("load: fanout: %d of %d streams opened: %s", r.connected.Load(), cfg.Conns, r.firstError())
	}
	r.phase.Store("waiting")
	if err := waitSubscribers(ctx, t, func(k int) bool { return k >= cfg.Conns }); err != nil {
		return res, fmt.Errorf("load: fanout: %w", err)
	}
	res.Connect = time.Since(start)

	r.phase.Store("receiving")
	u0 := t.Usage(ctx)
	m0, _ := contract.MachineCPU()
	cpu0 := contract.SelfCPU()
	pubStart := time.Now()
	if err := t.Publish(ctx, cfg.Events, cfg.Size); err != nil {
		return res, err
	}
	res.Publish = time.Since(pubStart)
	select {
	case <-r.allDone:
	case <-ctx.Done():
	}
	cpu1 := contract.SelfCPU()
	m1, _ := contract.MachineCPU()
	u1 := t.Usage(context.WithoutCancel(ctx))
	r.phase.Store("closing")
	r.closeAll()

	// Every reader has returned: the clients are ours to read.
	var last int64
	all := make([]int64, 0, res.Expected)
	for _, c := range clients {
		if c == nil {
			continue
		}
		all = append(all, c.lat...)
		res.Received += int64(c.distinct)
		res.Missing += int64(c.n - c.distinct)
		res.Duplicates += c.dups
		res.Reordered += c.reorder
		res.Unexpected += c.unexpect
		if c.done() && c.inOrder && c.unexpect == 0 {
			res.Complete++
		}
		last = max(last, c.doneAt)
	}
	res.Disconnected = int(r.disconnected.Load())
	res.FirstError = r.firstError()
	if last == 0 || res.Received < res.Expected {
		last = time.Now().UnixNano()
	}
	res.Duration = time.Duration(last - pubStart.UnixNano())
	if res.Duration > 0 {
		res.EventsPerSec = float64(res.Received) / res.Duration.Seconds()
	}
	res.Latency = percentiles(all)
	res.ClientCPU = cpu1 - cpu0
	if u0.Known && u1.Known {
		res.ServerKnown, res.ServerCPU = true, u1.CPU-u0.CPU
		res.OtherCPU = max(0, m1-m0-res.ClientCPU-res.ServerCPU)
	}
	if res.Received < res.Expected && ctx.Err() != nil {
		return res, fmt.Errorf("load: fanout: %d of %d events after %v: %w", res.Received, res.Expected,
			time.Since(start).Round(time.Millisecond), ctx.Err())
	}
	return res, nil
}

// fanRun is the shared state of one fanout run.
type fanRun struct {
	cfg          FanoutConfig
	phase        atomic.Value // string
	connected    atomic.Int64
	events       atomic.Int64
	finished     atomic.Int64 // clients done or disconnected
	disconnected atomic.Int64
	allDone      chan struct{}
	doneOnce     sync.Once

	mu      sync.Mutex
	streams []*stream
	firstEr string
	closed  bool
	readers sync.WaitGroup
}

func (r *fanRun) fail(err error) {
	r.mu.Lock()
	if r.firstEr == "" {
		r.firstEr = err.Error()
	}
	r.mu.Unlock()
}

func (r *fanRun) firstError() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstEr
}

func (r *fanRun) finish() {
	if r.finished.Add(1) == int64(r.cfg.Conns) {
		r.doneOnce.Do(func() { close(r.allDone) })
	}
}

// open connects every client, cfg.DialParallel at a time, and starts its
// reader. It returns when every dial has succeeded or failed.
func (r *fanRun) open(ctx context.Context, d *dialer) []*fanClient {
	clients := make([]*fanClient, r.cfg.Conns)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(r.cfg.DialParallel, r.cfg.Conns) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= r.cfg.Conns || ctx.Err() != nil {
					return
				}
				s, err := d.open(ctx, i, contract.PathFanout)
				if err != nil {
					r.fail(err)
					return
				}
				c := newFanClient(r.cfg.Events)
				clients[i] = c
				if !r.track(s) {
					return
				}
				r.connected.Add(1)
				r.readers.Go(func() { r.read(s, c) })
			}
		})
	}
	wg.Wait()
	return clients
}

// track registers s for closing; it reports false (and closes s) when the
// run is already closing.
func (r *fanRun) track(s *stream) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		s.close()
		return false
	}
	r.streams = append(r.streams, s)
	return true
}

func (r *fanRun) read(s *stream, c *fanClient) {
	buf := make([]byte, 32<<10)
	finished := false
	for {
		n, err := s.body.Read(buf)
		if n > 0 {
			before := c.distinct
			c.now = time.Now().UnixNano()
			c.parser.feed(buf[:n])
			r.events.Add(int64(c.distinct - before))
			if !finished && c.done() {
				finished = true
				r.finish()
			}
		}
		if err != nil {
			r.mu.Lock()
			closing := r.closed
			r.mu.Unlock()
			if !finished && !closing {
				r.disconnected.Add(1)
				r.fail(fmt.Errorf("load: stream ended: %w", err))
				r.finish()
			}
			return
		}
	}
}

// closeAll closes every stream and waits for the readers to return. It may
// be called more than once.
func (r *fanRun) closeAll() {
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

func (r *fanRun) reportProgress(f func(Progress)) (stop func()) {
	if f == nil {
		return func() {}
	}
	r.phase.Store("starting")
	return every(250*time.Millisecond, func() {
		f(Progress{Phase: r.phase.Load().(string), Conns: r.cfg.Conns, Connected: int(r.connected.Load()),
			Events: r.events.Load(), Expected: int64(r.cfg.Conns) * int64(r.cfg.Events)})
	})
}

// every calls f each period until stop is called; stop waits for a call in
// progress to end and calls f one last time.
func every(period time.Duration, f func()) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-quit:
				f()
				return
			case <-t.C:
				f()
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(quit); <-done }) }
}

// waitSubscribers polls the server until ok accepts its subscriber count.
func waitSubscribers(ctx context.Context, t *Target, ok func(int) bool) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	last := -1
	for {
		k, err := t.Subscribers(ctx)
		if err == nil && ok(k) {
			return nil
		}
		if err == nil {
			last = k
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return fmt.Errorf("%w: %w", ErrNotReady, err)
			}
			return fmt.Errorf("%w: it reports %d", ErrNotReady, last)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// percentiles sorts v (nanoseconds) and returns its percentiles.
func percentiles(v []int64) Percentiles {
	if len(v) == 0 {
		return Percentiles{}
	}
	slices.Sort(v)
	at := func(q float64) time.Duration {
		i := int(q*float64(len(v))+0.5) - 1
		return time.Duration(v[min(max(i, 0), len(v)-1)])
	}
	return Percentiles{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: time.Duration(v[len(v)-1])}
}
