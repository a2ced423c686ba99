package redisbus

// ReaderConnected reports whether the Hub's reader holds its live
// connection to Redis; it is false while the reader reconnects after a
// failure (subscribers wait then), and once the Hub is closed. For health
// checks and metrics (metrics.Collector.WatchReader).
func (h *Hub) ReaderConnected() bool {
	if h.ctx.Err() != nil {
		return false
	}
	h.psMu.Lock()
	defer h.psMu.Unlock()
	return h.ps != nil
}

// ReaderPosition returns the time, in Unix milliseconds, of the last entry
// the reader routed to subscribers (the time part of its id), or of the
// stream's last entry when the Hub started; 0 for an empty stream. Compared
// with the clock, it tells how far behind the reader is while messages
// flow.
func (h *Hub) ReaderPosition() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return int64(h.last.Hi)
}
