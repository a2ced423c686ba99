package sse

import (
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

type group struct {
	mu      sync.Mutex
	closing bool
	streams *stream // doubly linked through stream.prev and stream.next
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
	g := new(group)
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
}

// shutdown ends every open stream of the server, and every stream that
// starts from now on, once what is queued has been written.
func (g *group) shutdown() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closing = true
	for s := g.streams; s != nil; s = s.next {
		s.stop()
	}
}
