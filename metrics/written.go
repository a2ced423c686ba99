package metrics

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// written counts the events and bytes written to clients, per route. These
// two counters are the only ones touched at every write of every stream:
// rather than one atomic per route, which every core's writers would fight
// over, each route has shards on cache lines of their own, and a stream
// adds to one of them. A scrape sums them.
type written struct {
	events, bytes *prometheus.Desc

	mu     sync.Mutex
	routes map[string]*routeWritten
	next   atomic.Uint32 // spreads streams over the shards
}

const writtenShards = 16

type routeWritten struct {
	shards [writtenShards]writtenShard
}

type writtenShard struct {
	events, bytes atomic.Uint64
	_             [48]byte // to 64 bytes: one cache line per shard
}

func newWritten(ns string, cl prometheus.Labels) *written {
	return &written{
		events: prometheus.NewDesc(prometheus.BuildFQName(ns, "sse", "events_written_total"),
			"Events written to clients (heartbeats excluded).", []string{"route"}, cl),
		bytes: prometheus.NewDesc(prometheus.BuildFQName(ns, "sse", "bytes_written_total"),
			"Bytes written to clients (after the headers and the first line feed).", []string{"route"}, cl),
		routes: map[string]*routeWritten{},
	}
}

// shard returns the shard a new stream of route adds to.
func (w *written) shard(route string) *writtenShard {
	w.mu.Lock()
	rw := w.routes[route]
	if rw == nil {
		rw = &routeWritten{}
		w.routes[route] = rw
	}
	w.mu.Unlock()
	return &rw.shards[w.next.Add(1)%writtenShards]
}

func (w *written) Describe(ch chan<- *prometheus.Desc) {
	ch <- w.events
	ch <- w.bytes
}

func (w *written) Collect(ch chan<- prometheus.Metric) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for route, rw := range w.routes {
		var events, bytes uint64
		for i := range rw.shards {
			events += rw.shards[i].events.Load()
			bytes += rw.shards[i].bytes.Load()
		}
		ch <- prometheus.MustNewConstMetric(w.events, prometheus.CounterValue, float64(events), route)
		ch <- prometheus.MustNewConstMetric(w.bytes, prometheus.CounterValue, float64(bytes), route)
	}
}
