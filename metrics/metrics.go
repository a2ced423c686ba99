package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rxsse/rxsse/sse"
)

// Options configures a Collector. A nil *Options, and every zero field,
// means the default.
type Options struct {
	// Namespace prefixes every metric name; "rxsse" by default.
	Namespace string
	// ConstLabels are added to every metric (for instance the instance's
	// name when several share a registry).
	ConstLabels prometheus.Labels
	// PublishBuckets are the buckets of the publish latency histogram, in
	// seconds; by default from 50 µs to about 1.6 s.
	PublishBuckets []float64
}

// Collector holds the metrics. It implements prometheus.Collector (register
// it) and sse.Hooks (attach it to requests with Middleware or
// sse.WithHooks). It is safe for concurrent use.
type Collector struct {
	streamsOpen     *prometheus.GaugeVec
	streamsOpened   *prometheus.CounterVec
	streamsClosed   *prometheus.CounterVec
	streamsRejected *prometheus.CounterVec
	written         *written
	slowDrops       *prometheus.CounterVec
	droppedEvents   *prometheus.CounterVec

	publishes       *prometheus.CounterVec
	publishDuration prometheus.Histogram
	subscriptions   prometheus.Gauge
	replays         prometheus.Counter
	replayGaps      prometheus.Counter

	readers *readers
}

var _ prometheus.Collector = (*Collector)(nil)
var _ sse.Hooks = (*Collector)(nil)

// New returns a Collector with every metric at zero.
func New(opts *Options) *Collector {
	if opts == nil {
		opts = &Options{}
	}
	ns := opts.Namespace
	if ns == "" {
		ns = "rxsse"
	}
	buckets := opts.PublishBuckets
	if buckets == nil {
		buckets = prometheus.ExponentialBuckets(50e-6, 2, 16)
	}
	cl := opts.ConstLabels
	counter := func(sub, name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: name, Help: help, ConstLabels: cl}, labels)
	}
	c := &Collector{
		streamsOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Subsystem: "sse", Name: "streams_open",
			Help: "Streams open now.", ConstLabels: cl}, []string{"route"}),
		streamsOpened:   counter("sse", "streams_opened_total", "Streams opened.", "route"),
		streamsClosed:   counter("sse", "streams_closed_total", "Streams ended, by reason (completed, failed, client_gone, slow_client, shutdown).", "route", "reason"),
		streamsRejected: counter("sse", "streams_rejected_total", "Requests answered 503 because too many streams were open.", "route"),
		written:         newWritten(ns, cl),
		slowDrops:       counter("sse", "slow_client_drops_total", "Times a full queue applied its policy: a dropped event (DropOldest, DropNewest) or a dropped connection (Disconnect).", "route", "policy"),
		droppedEvents:   counter("sse", "dropped_events_total", "Events a slow client never received, by policy (under Disconnect, those queued when it was dropped).", "route", "policy"),

		publishes: counter("bus", "publishes_total", "Publishes, by result (ok, error).", "result"),
		publishDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: "bus", Name: "publish_duration_seconds",
			Help: "Time a Publish took (with Redis, the XADD round trip).", ConstLabels: cl, Buckets: buckets}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: "bus", Name: "subscriptions",
			Help: "Bus subscriptions open now.", ConstLabels: cl}),
		replays: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: "bus", Name: "replays_total",
			Help: "Subscriptions that resumed after a Last-Event-ID.", ConstLabels: cl}),
		replayGaps: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: "bus", Name: "replay_gaps_total",
			Help: "Subscriptions that could not resume: the history no longer reached back to their Last-Event-ID.", ConstLabels: cl}),
	}
	c.readers = newReaders(ns, cl)
	return c
}

func (c *Collector) collectors() []prometheus.Collector {
	return []prometheus.Collector{
		c.streamsOpen, c.streamsOpened, c.streamsClosed, c.streamsRejected, c.written,
		c.slowDrops, c.droppedEvents, c.publishes, c.publishDuration, c.subscriptions, c.replays,
		c.replayGaps, c.readers,
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.collectors() {
		m.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.collectors() {
		m.Collect(ch)
	}
}

// Middleware attaches the Collector to the requests of next, so that their
// streams are counted, per route (the request's ServeMux pattern).
func (c *Collector) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(sse.WithHooks(r.Context(), c)))
	})
}

// Open implements sse.Hooks: it counts a stream open and returns the
// counters of its route.
func (c *Collector) Open(r *http.Request) sse.StreamHooks {
	route := routeOf(r)
	s := &stream{
		c:       c,
		route:   route,
		open:    c.streamsOpen.WithLabelValues(route),
		written: c.written.shard(route),
	}
	c.streamsOpened.WithLabelValues(route).Inc()
	s.open.Inc()
	return s
}

// Rejected implements sse.Hooks.
func (c *Collector) Rejected(r *http.Request) {
	c.streamsRejected.WithLabelValues(routeOf(r)).Inc()
}

// routeOf is a request's route label: its ServeMux pattern.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

// stream is the counters of one stream.
type stream struct {
	c       *Collector
	route   string
	open    prometheus.Gauge
	written *writtenShard
	// drops are the counters of each policy, looked up at the first drop
	// (the stream calls Dropped under its lock: one call at a time).
	drops [3]*dropCounters
}

type dropCounters struct{ drops, events prometheus.Counter }

func (s *stream) Wrote(events, bytes int) {
	if events > 0 {
		s.written.events.Add(uint64(events))
	}
	s.written.bytes.Add(uint64(bytes))
}

func (s *stream) Dropped(policy sse.SlowClientPolicy, events int) {
	var d *dropCounters
	if i := int(policy); i >= 0 && i < len(s.drops) {
		if d = s.drops[i]; d == nil {
			d = s.c.dropCounters(s.route, policy)
			s.drops[i] = d
		}
	} else {
		d = s.c.dropCounters(s.route, policy)
	}
	d.drops.Inc()
	if events > 0 {
		d.events.Add(float64(events))
	}
}

func (c *Collector) dropCounters(route string, policy sse.SlowClientPolicy) *dropCounters {
	p := policy.String()
	return &dropCounters{drops: c.slowDrops.WithLabelValues(route, p), events: c.droppedEvents.WithLabelValues(route, p)}
}

func (s *stream) Closed(reason sse.CloseReason) {
	s.open.Dec()
	s.c.streamsClosed.WithLabelValues(s.route, reason.String()).Inc()
}

// observePublish records one Publish.
func (c *Collector) observePublish(start time.Time, err error) {
	c.publishDuration.Observe(time.Since(start).Seconds())
	if err != nil {
		c.publishes.WithLabelValues("error").Inc()
		return
	}
	c.publishes.WithLabelValues("ok").Inc()
}
