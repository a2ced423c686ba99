// Package sse serves an rx.Observable as a text/event-stream response, as
// NestJS's @Sse() does, with the same bytes on the wire.
//
// A handler returns the stream for a request; the package subscribes once
// with the request's context, writes each value as an event, and tears the
// subscription down the moment the client goes away:
//
//	http.Handle("GET /ticks", sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[sse.MessageEvent], error) {
//		return rx.Map(rx.Interval(time.Second), func(n int) sse.MessageEvent {
//			return sse.MessageEvent{Data: map[string]int{"tick": n}}
//		}), nil
//	}, nil))
//
// # Nest compatibility
//
// The status (200, or 201 for POST, or what the handler set), the SSE
// headers, the leading line feed, the order and splitting of fields, the
// per-connection automatic ids, the JSON error responses before the headers
// and the "error" event after them are those of Nest 12.5.1.
//
// # Beyond Nest
//
// Each has a default that needs no configuration (see Options):
//   - a heartbeat comment on connections idle for 15 s;
//   - LastEventID, for handlers that resume a stream;
//   - a bounded queue per connection, with a policy for clients that read
//     too slowly (disconnect by default: the client reconnects and resumes),
//     and a deadline on each write; a producer never waits for a client;
//   - graceful shutdown: http.Server.Shutdown ends every open stream cleanly
//     (the final chunk is written, clients reconnect elsewhere), with nothing
//     to wire;
//   - an optional retry hint, and a limit on open streams.
//
// # Broadcasting
//
// Encode turns an event into an *Encoded, encoded once: emit it to any
// number of connections and only the automatic id is added per connection.
package sse
