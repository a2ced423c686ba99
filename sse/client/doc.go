// Package client consumes a remote text/event-stream as an rx.Observable, so
// a Go service reads another service's stream with the same operators it
// serves its own with.
//
//	ticks := client.Stream[Tick]("http://localhost:3000/ticks", nil)
//	err := rx.ForEach(ctx, rx.Take(ticks, 10), func(t Tick) { … })
//
// The Observable is cold: each subscription opens its own connection, and
// ends it when the subscription ends. Like a browser's EventSource, it
// parses the stream by the WHATWG rules and reconnects by itself when the
// connection drops or the server ends the response, after the server's
// "retry:" hint (or Options.Retry), sending the last event id it received as
// Last-Event-ID so that a server that replays (package bus does) resumes with
// no gap and no duplicate. Failed attempts back off exponentially, with
// jitter, up to Options.MaxRetry.
//
// The stream completes when the server answers 204 No Content (how a server
// tells an EventSource to stop). It fails, without reconnecting, on any
// status but a success (EventSource wants 200; Nest answers a POST stream
// 201, so any 2xx is taken) or the transient 429, 502, 503 and 504, which
// are retried, honouring Retry-After (a Go service should ride out an
// overloaded or restarting server, which a browser's EventSource cannot); on
// a Content-Type other than text/event-stream, on an event of type "error"
// (what a Nest or rxsse server sends when its stream fails after the
// headers), on data that does not decode into T, and after
// Options.MaxAttempts failed attempts in a row.
package client
