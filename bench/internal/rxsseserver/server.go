// Package rxsseserver serves the benchmark contract with rxsse as an
// application would use it: sse.Handler streams, a bus.Memory hub for the
// fanout, rx operators for the rest.
package rxsseserver

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rxsse/rxsse/bench/internal/contract"
	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/httperr"
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
	// EncodePerConnection turns off the shared encoding of broadcast
	// messages: each connection then encodes every message itself, as a
	// plain rx.Map to sse.MessageEvent does.
	EncodePerConnection bool
}

// Server serves the benchmark contract. It is an http.Handler; Close ends
// its hub.
type Server struct {
	hub  *bus.Memory
	mux  *http.ServeMux
	opts Options
	last atomic.Pointer[encodedEntry]
}

// New returns a Server (nil opts means defaults).
func New(opts *Options) *Server {
	s := &Server{}
	if opts != nil {
		s.opts = *opts
	}
	s.hub = bus.NewMemory(&bus.MemoryOptions{History: s.opts.History})
	so := s.opts.Stream
	mux := http.NewServeMux()
	if s.opts.EncodePerConnection {
		mux.Handle("GET "+contract.PathFanout, sse.Handler(s.fanoutPerConnection, so))
	} else {
		mux.Handle("GET "+contract.PathFanout, sse.Handler(s.fanout, so))
	}
	mux.HandleFunc("POST "+contract.PathPublish, s.publish)
	mux.HandleFunc("GET "+contract.PathSubscribers, s.subscribers)
	mux.Handle("GET "+contract.PathForever, sse.Handler(forever, so))
	mux.Handle("GET "+contract.PathBurst, sse.Handler(burst, so))
	mux.HandleFunc("GET "+contract.PathStats, stats)
	s.mux = mux
	return s
}

// ServeHTTP routes r to the contract's handlers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close closes the hub: open fanout streams complete.
func (s *Server) Close() error { return s.hub.Close() }

// fanout streams every message published from now on, each encoded once
// for all connections, with the bus id as the event id (a client resumes
// with Last-Event-ID).
func (s *Server) fanout(w http.ResponseWriter, r *http.Request) (rx.Observable[*sse.Encoded], error) {
	msgs := s.hub.Subscribe(r.Context(), bus.Subscription{LastEventID: sse.LastEventID(r)})
	return rx.Map(msgs, s.encodeShared), nil
}

// fanoutPerConnection is fanout written the plain way: every connection
// turns every message into a MessageEvent that its stream encodes.
func (s *Server) fanoutPerConnection(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
	msgs := s.hub.Subscribe(r.Context(), bus.Subscription{LastEventID: sse.LastEventID(r)})
	return rx.Map(msgs, toEvent), nil
}

func toEvent(m bus.Message) sse.MessageEvent {
	id := m.ID
	return sse.MessageEvent{ID: &id, Type: m.Type, Data: string(m.Data)}
}

// encodedEntry is the encoding of the message with bus id id.
type encodedEntry struct {
	id  string
	enc *sse.Encoded
}

// encodeShared returns m encoded as an event. The hub hands each message to
// every subscriber in turn, so a one-entry cache of the latest encoding
// makes it one encoding per message, not per connection. A miss (a message
// delivered late by another goroutine) only costs an encoding.
func (s *Server) encodeShared(m bus.Message) *sse.Encoded {
	if e := s.last.Load(); e != nil && e.id == m.ID {
		return e.enc
	}
	enc, err := sse.Encode(toEvent(m))
	if err != nil {
		// String data always encodes; keep the stream going regardless.
		enc, _ = sse.Encode(sse.MessageEvent{Comment: "unencodable message " + m.ID})
	}
	s.last.Store(&encodedEntry{id: m.ID, enc: enc})
	return enc
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	n, size, err := contract.ParseCounts(r)
	if err != nil {
		sse.WriteError(w, r, httperr.New(http.StatusBadRequest, err.Error()), nil)
		return
	}
	buf := make([]byte, 0, size+64)
	for seq := range n {
		buf = contract.AppendPayload(buf[:0], time.Now().UnixNano(), seq, size)
		if _, err := s.hub.Publish(r.Context(), bus.All(), "", buf); err != nil {
			sse.WriteError(w, r, err, nil)
			return
		}
	}
	writeJSON(w, http.StatusCreated, contract.Published{Published: n})
}

func (s *Server) subscribers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, contract.Subscribers{Subscribers: s.hub.Subscribers()})
}

// forever sends {"t":…,"seq":k} every second.
func forever(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
	return rx.Map(rx.Interval(time.Second), func(seq int) sse.MessageEvent {
		return sse.MessageEvent{Data: string(contract.AppendTick(nil, time.Now().UnixNano(), seq))}
	}), nil
}

// burst sends n events as fast as the stream takes them, then completes.
func burst(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
	n, size, err := contract.ParseCounts(r)
	if err != nil {
		return rx.Observable[sse.MessageEvent]{}, httperr.New(http.StatusBadRequest, err.Error())
	}
	return rx.FromSeq(func(yield func(sse.MessageEvent) bool) {
		for seq := range n {
			data := string(contract.AppendPayload(nil, time.Now().UnixNano(), seq, size))
			if !yield(sse.MessageEvent{Data: data}) {
				return
			}
		}
	}), nil
}

func stats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, contract.SelfStats())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		sse.WriteError(w, nil, err, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b) // the client may have gone; nothing left to do
}
