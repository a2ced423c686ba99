package load

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
)

// IdleConfig describes one idle run.
type IdleConfig struct {
	Conns int // streams held open
	// Route is the contract route the streams are held on: PathForever
	// (the default: an event a second) or PathFanout (silent until a
	// publish, apart from heartbeats).
	Route string
	// Hold is how long the streams stay open once all are connected, before
	// the server's memory is read. Default 5 s.
	Hold time.Duration
	// Timeout bounds connecting. Default 2 minutes.
	Timeout time.Duration
	// DialParallel is how many connections are opened at once. Default 64.
	DialParallel int
	// Progress, when set, is called a few times a second.
	Progress func(Progress)
	// Open, when set, opens the streams instead of this process: it is how
	// a run holds more connections than one process may have files (see
	// bench's worker processes). Nil opens them here with HoldStreams.
	Open func(ctx context.Context, t *Target, n int) (StreamSet, error)
}

// IdleRoutes maps the names accepted for IdleConfig.Route to routes.
var IdleRoutes = map[string]string{"forever": contract.PathForever, "fanout": contract.PathFanout}

// StreamSet is a set of streams held open, in this process or in others.
type StreamSet interface {
	// Counts returns the streams connected so far, the events received, and
	// the streams that ended before Close.
	Counts() (connected int, events int64, disconnected int)
	// Wait returns when every stream has connected or failed to; its error
	// is the first failure.
	Wait(ctx context.Context) error
	// Usage returns the CPU time of the process(es) holding the streams,
	// and the memory they hold (live Go heap and stacks after a GC).
	Usage() (cpu time.Duration, mem int64)
	// FirstError is the first error seen, or "".
	FirstError() string
	// Close closes every stream and waits for their readers.
	Close()
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
	// ClientPerConn is the load client's own memory per connection (live
	// Go heap and stacks, after a GC).
	ClientPerConn float64
	// EventsPerConnPerSec is what each stream received during the hold
	// (about 1 for the forever route: it shows the streams are live).
	EventsPerConnPerSec float64
	// ClientCPU and ServerCPU are the CPU time used during the hold.
	ClientCPU, ServerCPU time.Duration
	// OtherCPU is what the rest of the machine used during the hold.
	OtherCPU     time.Duration
	Disconnected int
	FirstError   string
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
	if cfg.Route == "" {
		cfg.Route = contract.PathForever
	}
	open := cfg.Open
	if open == nil {
		open = func(ctx context.Context, t *Target, n int) (StreamSet, error) {
			return HoldStreams(ctx, t, n, HoldOptions{DialParallel: cfg.DialParallel, Route: cfg.Route})
		}
	}
	res := IdleResult{Conns: cfg.Conns, Sources: sourcesFor(cfg.Conns), Hold: cfg.Hold}
	u0 := t.Usage(ctx)

	dialCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	start := time.Now()
	set, err := open(dialCtx, t, cfg.Conns)
	if err != nil {
		return res, fmt.Errorf("load: idle: %w", err)
	}
	defer set.Close()
	_, self0 := set.Usage()
	phase := atomic.Value{}
	phase.Store("connecting")
	if cfg.Progress != nil {
		stop := every(250*time.Millisecond, func() {
			c, ev, _ := set.Counts()
			cfg.Progress(Progress{Phase: phase.Load().(string), Conns: cfg.Conns, Connected: c, Events: ev})
		})
		defer stop()
	}
	werr := set.Wait(dialCtx)
	res.Connect = time.Since(start)
	res.Connected, _, _ = set.Counts()
	if werr != nil || res.Connected != cfg.Conns {
		return res, fmt.Errorf("load: idle: %d of %d streams opened: %v", res.Connected, cfg.Conns, werr)
	}

	phase.Store("holding")
	_, ev0, _ := set.Counts()
	cpu0, _ := set.Usage()
	u1 := t.Usage(ctx)
	m0, _ := contract.MachineCPU()
	select {
	case <-time.After(cfg.Hold):
	case <-ctx.Done():
		return res, fmt.Errorf("load: idle: %w", ctx.Err())
	}
	_, ev1, _ := set.Counts()
	m1, _ := contract.MachineCPU()
	cpu1, self1 := set.Usage()
	u2 := t.Usage(ctx)

	res.EventsPerConnPerSec = float64(ev1-ev0) / float64(cfg.Conns) / cfg.Hold.Seconds()
	res.ClientCPU = cpu1 - cpu0
	res.ClientPerConn = float64(self1-self0) / float64(cfg.Conns)
	if u0.Known && u1.Known && u2.Known {
		res.ServerKnown = true
		res.RSSBefore, res.RSSAfter = u0.RSS, u2.RSS
		res.PerConn = float64(u2.RSS-u0.RSS) / float64(cfg.Conns)
		res.ServerCPU = u2.CPU - u1.CPU
		res.OtherCPU = max(0, m1-m0-res.ClientCPU-res.ServerCPU)
	}
	if u0.Runtime && u2.Runtime {
		c := float64(cfg.Conns)
		res.RuntimeKnown = true
		res.GoroutinesPerConn = float64(u2.Goroutines-u0.Goroutines) / c
		res.HeapPerConn = float64(u2.HeapLive-u0.HeapLive) / c
		res.StackPerConn = float64(u2.Stacks-u0.Stacks) / c
	}
	phase.Store("closing")
	set.Close()
	_, _, res.Disconnected = set.Counts()
	res.FirstError = set.FirstError()
	return res, nil
}

// sourcesFor returns how many loopback source addresses n streams use.
func sourcesFor(n int) int { return max(1, (n+perSourceIP-1)/perSourceIP) }

// HoldOptions tune HoldStreams.
type HoldOptions struct {
	// DialParallel is how many connections are opened at once. Default 64.
	DialParallel int
	// Route is the route held; default PathForever.
	Route string
	// FirstSource is the index of the first loopback source address to use
	// (127.0.1.<1+FirstSource>, each carrying up to 20,000 streams), so that
	// several processes holding streams use distinct addresses. It applies
	// when n is above 20,000 or FirstSource is positive.
	FirstSource int
}

// HoldStreams starts opening n streams to one of t's routes in this
// process and returns at once; Wait says when they are all open.
func HoldStreams(ctx context.Context, t *Target, n int, opts HoldOptions) (*Streams, error) {
	if opts.DialParallel <= 0 {
		opts.DialParallel = 64
	}
	if opts.Route == "" {
		opts.Route = contract.PathForever
	}
	if _, err := contract.RaiseFileLimit(uint64(n) + 1024); err != nil {
		return nil, fmt.Errorf("load: hold %d streams: %w", n, err)
	}
	d, err := newDialer(t, n, 512, opts.FirstSource)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Streams{conns: n, route: opts.Route, dialed: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(s.dialed)
		s.open(ctx, d, opts.DialParallel)
	}()
	return s, nil
}

// Streams is a StreamSet held by this process.
type Streams struct {
	conns        int
	route        string
	connected    atomic.Int64
	events       atomic.Int64
	disconnected atomic.Int64
	dialed       chan struct{}
	cancel       context.CancelFunc // stops dials in progress

	mu      sync.Mutex
	streams []*stream
	closed  bool
	firstEr string
	readers sync.WaitGroup
}

// Counts implements StreamSet.
func (s *Streams) Counts() (int, int64, int) {
	return int(s.connected.Load()), s.events.Load(), int(s.disconnected.Load())
}

// Wait implements StreamSet.
func (s *Streams) Wait(ctx context.Context) error {
	select {
	case <-s.dialed:
	case <-ctx.Done():
		return ctx.Err()
	}
	if e := s.FirstError(); e != "" && int(s.connected.Load()) != s.conns {
		return fmt.Errorf("load: %s", e)
	}
	return nil
}

// Usage implements StreamSet: this process's CPU time, and its live Go
// heap and stacks after a GC (its RSS would count memory kept from earlier
// runs).
func (s *Streams) Usage() (time.Duration, int64) {
	cpu := contract.SelfCPU()
	return cpu, contract.GoMemory()
}

func (s *Streams) open(ctx context.Context, d *dialer, parallel int) {
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(parallel, s.conns) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= s.conns || ctx.Err() != nil {
					return
				}
				st, err := d.open(ctx, i, s.route)
				if err != nil {
					s.fail(err)
					return
				}
				s.mu.Lock()
				if s.closed {
					s.mu.Unlock()
					st.close()
					return
				}
				s.streams = append(s.streams, st)
				s.mu.Unlock()
				s.connected.Add(1)
				s.readers.Go(func() { s.read(st) })
			}
		})
	}
	wg.Wait()
}

func (s *Streams) read(st *stream) {
	buf := make([]byte, 512)
	p := parser{onEvent: func([]byte) { s.events.Add(1) }}
	for {
		n, err := st.body.Read(buf)
		p.feed(buf[:n])
		if err != nil {
			s.mu.Lock()
			closing := s.closed
			s.mu.Unlock()
			if !closing {
				s.disconnected.Add(1)
				s.fail(fmt.Errorf("load: stream ended: %w", err))
			}
			return
		}
	}
}

func (s *Streams) fail(err error) {
	s.mu.Lock()
	if s.firstEr == "" {
		s.firstEr = err.Error()
	}
	s.mu.Unlock()
}

// FirstError implements StreamSet.
func (s *Streams) FirstError() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.firstEr
}

// Close implements StreamSet.
func (s *Streams) Close() {
	s.mu.Lock()
	s.closed = true // a dial that succeeds from now on closes its stream
	streams := s.streams
	s.streams = nil
	s.mu.Unlock()
	s.cancel()
	<-s.dialed
	for _, st := range streams {
		st.close()
	}
	s.readers.Wait()
}
