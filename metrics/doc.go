// Package metrics exports Prometheus metrics of an rxsse service: open
// streams, events and bytes written, slow-client drops by policy, streams
// refused over the limit, bus publishes and their latency, subscriptions,
// replays and replay gaps, and the health of Redis readers.
//
// A Collector is a prometheus.Collector that the user registers on the
// registry of their choice; the package registers nothing by itself:
//
//	m := metrics.New(nil)
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(m)
//	hub := m.Hub(bus.NewMemory(nil))        // bus metrics
//	r := controller.NewRouter(nil)
//	r.Use(m.Middleware)                     // stream metrics, per route
//	r.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//
// Counting costs atomic adds on the hot path: per stream, its counters are
// looked up once, when it opens.
package metrics
