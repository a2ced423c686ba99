// Package inbox ports the per-user push ("站内信") of seed 004: GET /push?uid=…
// streams, after a first message saying the connection is established, every
// message for that user or for everyone; POST /update sends one.
//
// The seed (Express) keeps a Map from uid to response object and registers
// event-emitter listeners by hand; a tab that closes without the cleanup
// running, or a second tab of the same user, gives the "duplicate messages"
// it warns about. Here a connection is a bus subscription that lives exactly
// as long as the request: several tabs of one user each have their own, and
// a closed tab leaves nothing behind. Message ids come from the bus, so a
// browser reconnecting with Last-Event-ID gets what it missed, also from
// another instance when the bus is Redis; the welcome's id is the bus's
// start mark, so that holds even for a connection that dropped before its
// first message.
package inbox
