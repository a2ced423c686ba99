package load

// Progress is a snapshot of a run, reported a few times a second so that a
// long run shows it is alive.
type Progress struct {
	Phase     string // "connecting", "waiting", "receiving", "holding", "closing"
	Conns     int    // connections wanted
	Connected int    // connections open
	Events    int64  // events received so far
	Expected  int64  // events expected (fanout), 0 when open-ended
}
