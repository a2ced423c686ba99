package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Reader is a bus backend's reader, whose health is reported at every
// scrape: redisbus.Hub is one.
type Reader interface {
	// ReaderConnected reports whether the reader has its connection.
	ReaderConnected() bool
	// ReaderPosition is the time of the last entry the reader routed (zero
	// before the first).
	ReaderPosition() (unixMilli int64)
}

// WatchReader reports the health of r under the label reader=name:
// <ns>_bus_reader_up (1 when connected) and
// <ns>_bus_reader_last_entry_timestamp_seconds. Watching a name again
// replaces its reader.
func (c *Collector) WatchReader(name string, r Reader) {
	c.readers.mu.Lock()
	defer c.readers.mu.Unlock()
	c.readers.list[name] = r
}

type readers struct {
	up, last *prometheus.Desc
	mu       sync.Mutex
	list     map[string]Reader
}

func newReaders(ns string, cl prometheus.Labels) *readers {
	return &readers{
		up: prometheus.NewDesc(prometheus.BuildFQName(ns, "bus", "reader_up"),
			"Whether the bus reader is connected (1) or reconnecting (0).", []string{"reader"}, cl),
		last: prometheus.NewDesc(prometheus.BuildFQName(ns, "bus", "reader_last_entry_timestamp_seconds"),
			"Time of the last entry the bus reader routed (from its id).", []string{"reader"}, cl),
		list: map[string]Reader{},
	}
}

func (rs *readers) Describe(ch chan<- *prometheus.Desc) {
	ch <- rs.up
	ch <- rs.last
}

func (rs *readers) Collect(ch chan<- prometheus.Metric) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for name, r := range rs.list {
		up := 0.0
		if r.ReaderConnected() {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(rs.up, prometheus.GaugeValue, up, name)
		ch <- prometheus.MustNewConstMetric(rs.last, prometheus.GaugeValue, float64(r.ReaderPosition())/1000, name)
	}
}
