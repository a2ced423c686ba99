// Package rxsseserver serves the benchmark contract with rxsse written the
// way its README and examples teach (compare examples/inbox): a controller
// mounted on a controller.Router, SSE routes that return rx streams, a
// bus.Memory hub for the fanout. Nothing in it exists for the benchmark's
// sake: what it measures is what a user's server gets.
package rxsseserver

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/metrics"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// Options configure a Server. The zero value gives rxsse's defaults.
type Options struct {
	// Stream are the sse options of every stream (queue size, slow-client
	// policy, heartbeat, …). Nil means sse's defaults.
	Stream *sse.Options
	// History is the hub's replay history (bus.MemoryOptions.History).
	History int
	// Metrics counts streams and the hub with package metrics and serves
	// the counts at GET /metrics, in Prometheus's text format.
	Metrics bool
}

// Server serves the benchmark contract. It is an http.Handler; Close ends
// its hub.
type Server struct {
	hub    *bus.Memory
	router *controller.Router
}

// New returns a Server (nil opts means defaults).
func New(opts *Options) *Server {
	if opts == nil {
		opts = &Options{}
	}
	hub := bus.NewMemory(&bus.MemoryOptions{History: opts.History})
	r := controller.NewRouter(&controller.Options{SSE: opts.Stream})
	var counted bus.Hub = hub
	if opts.Metrics {
		m := metrics.New(nil)
		reg := prometheus.NewRegistry()
		reg.MustRegister(m)
		counted = m.Hub(hub)
		r.Use(m.Middleware)
		r.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	}
	r.Mount("/sse/bench", &Bench{Hub: counted})
	return &Server{hub: hub, router: r}
}

// ServeHTTP routes r to the contract's routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Streams returns the account of the server's streams, for shutdown.
func (s *Server) Streams() *sse.Streams { return s.router.Streams() }

// Close closes the hub: open fanout streams complete.
func (s *Server) Close() error { return s.hub.Close() }

// Bench is the contract as a controller: @Controller('sse/bench').
type Bench struct {
	Hub bus.Hub
}

// Counts are the query of publish and burst: ?n=N&size=S.
type Counts struct {
	N    int `query:"n" validate:"min=0,max=10000000"`
	Size int `query:"size" validate:"min=0,max=1048576"`
}

// Routes registers the contract's routes.
func (c *Bench) Routes(r *controller.Router) {
	controller.SSE(r, "GET /fanout", c.Fanout)
	controller.Post(r, "POST /publish", c.Publish)
	controller.Get(r, "GET /subscribers", c.Subscribers)
	controller.SSE(r, "GET /forever", c.Forever)
	controller.SSE(r, "GET /burst", c.Burst)
	controller.Get(r, "GET /stats", c.Stats)
}

// Fanout streams every message published from now on, with its bus id as
// the event id, so that a client resumes with Last-Event-ID; one whose id
// the history no longer reaches starts afresh.
func (c *Bench) Fanout(ctx context.Context, _ *struct{}) (rx.Observable[*bus.Message], error) {
	msgs := c.Hub.Subscribe(ctx, bus.Recipient{LastEventID: controller.LastEventID(ctx)})
	return rx.CatchError(msgs, func(err error) rx.Observable[*bus.Message] {
		if errors.Is(err, bus.ErrReplayGap) {
			return c.Hub.Subscribe(ctx, bus.Recipient{})
		}
		return rx.Throw[*bus.Message](err)
	}), nil
}

// Publish publishes n events of the contract's payload to everyone.
func (c *Bench) Publish(ctx context.Context, in *Counts) (contract.Published, error) {
	buf := make([]byte, 0, in.Size+64)
	for seq := range in.N {
		buf = contract.AppendPayload(buf[:0], time.Now().UnixNano(), seq, in.Size)
		if _, err := c.Hub.Publish(ctx, bus.ToAll(), "", buf); err != nil {
			return contract.Published{}, err
		}
	}
	return contract.Published{Published: in.N}, nil
}

// Subscribers tells how many fanout streams are subscribed.
func (c *Bench) Subscribers(ctx context.Context, _ *struct{}) (contract.Subscribers, error) {
	n := 0
	if h, ok := c.Hub.(interface{ Subscribers() int }); ok {
		n = h.Subscribers()
	}
	return contract.Subscribers{Subscribers: n}, nil
}

// Forever sends {"t":…,"seq":k} every second.
func (c *Bench) Forever(ctx context.Context, _ *struct{}) (rx.Observable[sse.MessageEvent], error) {
	return rx.Map(rx.Interval(time.Second), func(seq int) sse.MessageEvent {
		return sse.MessageEvent{Data: string(contract.AppendTick(nil, time.Now().UnixNano(), seq))}
	}), nil
}

// Burst sends n events as fast as the stream takes them, then completes.
func (c *Bench) Burst(ctx context.Context, in *Counts) (rx.Observable[sse.MessageEvent], error) {
	return rx.FromSeq(func(yield func(sse.MessageEvent) bool) {
		for seq := range in.N {
			data := string(contract.AppendPayload(nil, time.Now().UnixNano(), seq, in.Size))
			if !yield(sse.MessageEvent{Data: data}) {
				return
			}
		}
	}), nil
}

// Stats reports the process's own figures.
func (c *Bench) Stats(ctx context.Context, _ *struct{}) (contract.Stats, error) {
	return contract.SelfStats(), nil
}
