package sse

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"weak"
)

// Every stream joins the group of the http.Server serving it (found in the
// request's context). The first stream of a server registers the group's
// shutdown with Server.RegisterOnShutdown, so http.Server.Shutdown ends every
// open stream cleanly with nothing for the user to wire. The registry holds
// servers weakly: a server that is collected leaves it.

// Shutdown shuts srv down gracefully, as srv.Shutdown(ctx) does, and also
// waits until every stream srv served has written its last bytes (or ctx
// ends). http.Server.Shutdown alone ends every open stream, but it does not
// wait for detached streams (see Options.Attached): call Shutdown instead of
// it when the process exits right after.
//
//	if err := sse.Shutdown(ctx, srv); err != nil { … }
func Shutdown(ctx context.Context, srv *http.Server) error {
	err := srv.Shutdown(ctx)
	servers.mu.Lock()
	g := servers.m[weak.Make(srv)]
	servers.mu.Unlock()
	if g == nil {
		return err
	}
	g.shutdown() // the hook srv.Shutdown started may not have run yet
	select {
	case <-g.empty:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	return err
}

type group struct {
	mu      sync.Mutex
	closing bool
	streams *stream       // doubly linked through stream.prev and stream.next
	empty   chan struct{} // closed once closing and no stream is left
}

var servers struct {
	mu sync.Mutex
	m  map[weak.Pointer[http.Server]]*group
}

// groupOf returns the group of r's server, or nil when r was not served by
// an http.Server.
func groupOf(r *http.Request) *group {
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if srv == nil {
		return nil
	}
	key := weak.Make(srv)
	servers.mu.Lock()
	defer servers.mu.Unlock()
	if g := servers.m[key]; g != nil {
		return g
	}
	if servers.m == nil {
		servers.m = make(map[weak.Pointer[http.Server]]*group)
	}
	g := &group{empty: make(chan struct{})}
	servers.m[key] = g
	srv.RegisterOnShutdown(g.shutdown)
	runtime.AddCleanup(srv, func(key weak.Pointer[http.Server]) {
		servers.mu.Lock()
		delete(servers.m, key)
		servers.mu.Unlock()
	}, key)
	return g
}

// add joins s to the group; it reports false when the server is already
// shutting down.
func (g *group) add(s *stream) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return false
	}
	s.next = g.streams
	if g.streams != nil {
		g.streams.prev = s
	}
	g.streams = s
	return true
}

func (g *group) remove(s *stream) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s.prev != nil {
		s.prev.next = s.next
	} else if g.streams == s {
		g.streams = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	}
	s.prev, s.next = nil, nil
	g.checkEmptyLocked()
}

// shutdown ends every open stream of the server, and every stream that
// starts from now on, once what is queued has been written. It may be
// called more than once.
func (g *group) shutdown() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return
	}
	g.closing = true
	for s := g.streams; s != nil; s = s.next {
		s.stop()
	}
	g.checkEmptyLocked()
}

func (g *group) checkEmptyLocked() {
	if g.closing && g.streams == nil {
		select {
		case <-g.empty:
		default:
			close(g.empty)
		}
	}
}
