// Package bus is a publish/subscribe hub for server-sent events: publish to
// everyone, to a topic, or to one user (or a few), anywhere in the app;
// subscribe from a stream handler and get an rx.Observable of the messages
// addressed to that client.
//
// A hub routes each message to its recipients only (a message to one user
// touches only that user's connections, however many users are connected),
// gives every message a globally ordered id meant to be the SSE id, and keeps
// a bounded history so that a client reconnecting with Last-Event-ID gets
// what it missed, then the live messages, with no gap and no duplicate. When
// the history no longer reaches back that far, the stream fails with
// ErrReplayGap instead of silently skipping messages. A subscription may
// ask for a start mark (Recipient.Mark): a first message whose id is
// where its live feed starts, so that a connection that has received no
// message yet can resume without a gap too.
//
// NewMemory is the hub of one process. Package redisbus provides the same
// Hub across processes, on Redis Streams; package bustest checks that a Hub
// keeps these promises.
//
// Observers of a hub's streams are called synchronously by the publishing
// goroutine (never with the hub's lock held) and must not block: the sse
// package's stream hands each value to its own bounded queue.
package bus
