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
//   - a bounded queue per connection (1024 events, 1 MiB), with a policy for
//     clients that read too slowly (disconnect by default: the client
//     reconnects and resumes); a client that takes no bytes for the write
//     timeout is dropped, one that reads slowly but steadily never is; a
//     producer never waits for a client;
//   - a limit on open streams (503 with Retry-After over it), overall and
//     per client address;
//   - graceful shutdown: http.Server.Shutdown ends every open stream
//     cleanly with nothing to wire (see Streams, which can also wait for
//     their last bytes);
//   - an optional retry hint.
//
// # The write path
//
// A stream's producers (whatever goroutines its observable emits from) put
// events in a bounded queue and return; one writer loop takes what is
// queued and writes it in one write, whatever the transport: net/http's
// ResponseWriter, or on HTTP/1.1 the connection itself (see below). No
// goroutine waits for events: the producer that queues into an idle stream
// starts the writer, which runs until the queue is empty.
//
// # Broadcasting
//
// A value that implements Eventer is written as its event; *bus.Message is
// one, so a route may return a hub's stream as it is. An event made once for
// many connections (Share, Encode, and so every bus message) is queued as a
// pointer and encoded once, by the first writer that needs it; every other
// connection copies those bytes and adds only its own automatic id. The
// goroutine that hands a broadcast to every connection in turn does a
// pointer's work for each.
//
// # Cost per connection
//
// Once its headers are out, an HTTP/1.1 stream detaches from net/http: it
// takes the connection over and ServeHTTP returns, releasing net/http's
// goroutine and buffers. On Linux the streams of one Streams account watch
// their connections for the client leaving with one shared epoll instance,
// so an idle stream holds no goroutine at all: about 8 KiB in all, against
// about 27 KiB for a handler blocked in ServeHTTP. The handler's request
// context is the stream's (see WithStreamContext), so what it subscribes with
// it lives as long as the stream. Options.Attached keeps streams in
// ServeHTTP, for middleware that must wrap them whole.
package sse
