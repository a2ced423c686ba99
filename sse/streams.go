package sse

import (
	"context"
	"net/http"
	"sync"
)

// Streams keeps account of a set of streams: it counts them (for
// Options.MaxStreams) and ends them on shutdown. Handler keeps one for its
// streams; code that calls Serve itself (a router, say) passes its own in
// Options.Streams. The zero value is ready to use; a Streams must not be
// copied once in use.
//
// The first stream an http.Server serves through a Streams registers it with
// that server (Server.RegisterOnShutdown): http.Server.Shutdown then ends
// every stream cleanly, with nothing for the user to wire, though it does
// not wait for the last bytes of streams that detached from net/http.
// Shutdown does, for a process that exits right after.
//
// http.Server.Close, and so httptest.Server.Close, does not end streams (net/http
// tells nobody): call Shutdown first, or use ssetest.NewServer in tests.
type Streams struct {
	mu      sync.Mutex
	closing bool
	n       int
	list    *stream        // doubly linked through stream.prev and stream.next
	max     int            // DefaultMaxStreams(), read on first use
	clients map[string]int // open streams per client address, with MaxStreamsPerClient
	servers map[*http.Server]struct{}
	empty   chan struct{} // closed once closing and no stream is left
	watch   watcher       // watches detached streams' clients (watch.go)
	watchOK bool          // watch was made
}

// watcher returns the account's shared watcher, or nil where there is
// none.
func (st *Streams) watcher() watcher {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.watchOK {
		st.watch, st.watchOK = newWatcher(), true
	}
	return st.watch
}

// Len returns the number of open streams.
func (st *Streams) Len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.n
}

// Shutdown ends every open stream, and every stream that starts from now on,
// once what each has queued is written; then it waits until they have
// written their last bytes, or ctx ends.
func (st *Streams) Shutdown(ctx context.Context) error {
	empty := st.stopAll()
	select {
	case <-empty:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close cuts every open stream at once, without writing what they have
// queued, and every stream that starts from now on: for the end of a
// shutdown's grace, when a stalled client would hold its stream until its
// write timeout.
func (st *Streams) Close() {
	st.stopAll()
	st.mu.Lock()
	defer st.mu.Unlock()
	for s := st.list; s != nil; s = s.next {
		s.cut()
	}
}

// stopAll ends every stream and returns a channel closed once none is left.
// It may be called more than once.
func (st *Streams) stopAll() <-chan struct{} {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.empty == nil {
		st.empty = make(chan struct{})
	}
	if !st.closing {
		st.closing = true
		for s := st.list; s != nil; s = s.next {
			s.stop()
		}
	}
	st.checkEmptyLocked()
	return st.empty
}

// tryOpen counts a new stream of client, unless the limits of cfg are
// reached.
func (st *Streams) tryOpen(cfg *config, client string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	limit := cfg.maxStreams
	if limit == 0 {
		if st.max == 0 {
			st.max = DefaultMaxStreams()
		}
		limit = st.max
	}
	if limit > 0 && st.n >= limit {
		return false
	}
	if cfg.perClient > 0 {
		if st.clients[client] >= cfg.perClient {
			return false
		}
		if st.clients == nil {
			st.clients = make(map[string]int)
		}
		st.clients[client]++
	}
	st.n++
	return true
}

// add joins s, counted by tryOpen, to the list; it reports false when the
// streams are shutting down. The request's http.Server, if any, is told to
// end the streams when it shuts down.
func (st *Streams) add(s *stream, srv *http.Server) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if srv != nil {
		if _, ok := st.servers[srv]; !ok {
			if st.servers == nil {
				st.servers = make(map[*http.Server]struct{})
			}
			st.servers[srv] = struct{}{}
			srv.RegisterOnShutdown(func() { st.stopAll() })
		}
	}
	if st.closing {
		return false
	}
	s.next = st.list
	if st.list != nil {
		st.list.prev = s
	}
	st.list = s
	return true
}

// remove takes s out of the account.
func (st *Streams) remove(s *stream) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if s.prev != nil {
		s.prev.next = s.next
	} else if st.list == s {
		st.list = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	}
	s.prev, s.next = nil, nil
	st.n--
	if s.cfg.perClient > 0 {
		if st.clients[s.client]--; st.clients[s.client] <= 0 {
			delete(st.clients, s.client)
		}
	}
	st.checkEmptyLocked()
}

func (st *Streams) checkEmptyLocked() {
	if st.closing && st.n == 0 {
		select {
		case <-st.empty:
		default:
			close(st.empty)
		}
	}
}
