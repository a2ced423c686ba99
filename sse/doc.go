// Package sse serves an rx.Observable as a text/event-stream response, as
// NestJS's @Sse() does, with the same bytes on the wire.
//
// A handler returns the stream for a request; the package subscribes once,
// writes each value as an event, and tears the subscription down the moment
// the client goes away:
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
// and the "error" event after them are those of Nest 12.5.1. Unlike Nest, a
// value that is not a MessageEvent is never dropped: it becomes the data of
// an event.
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
//     with nothing to wire (use Shutdown to also wait for their last bytes);
//   - an optional retry hint, and a limit on open streams (503 over it).
//
// # Cost per connection
//
// Once its headers are out, an HTTP/1.1 stream detaches from net/http: it
// takes the connection over and ServeHTTP returns. An idle stream then holds
// one goroutine (blocked reading, to see the client leave) and a few
// kilobytes, about a quarter of what a handler blocked in ServeHTTP holds.
// The handler's request context is the stream's (see WithStreamContext), so
// what it subscribes with it lives as long as the stream. Options.Attached
// keeps streams in ServeHTTP, for middleware that must wrap them whole.
//
// # Broadcasting
//
// Each connection encodes the events it receives once, into its own queue,
// and writes everything queued in one write. To broadcast an event to many
// connections, Encode it once: an *Encoded is copied as is, with only the
// connection's automatic id added. Under the default Disconnect policy, a
// stream of *Encoded queues the events themselves and copies them when it
// writes them, so that the goroutine that delivers a broadcast to every
// connection in turn does as little as possible for each.
package sse
