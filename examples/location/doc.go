// Package location ports the collaborative-cursor example of seed 001
// ("Nest 使用SSE 服务端推送"): POST /location records a position, and
// GET /location/sse sends everyone's positions, newest first, on connect and
// after every post.
//
// The article's final Nest version keeps the list in the controller and
// prepends the posted position inside each SSE subscriber's event-emitter
// listener, so with two clients connected every post is added twice, and the
// listeners are never removed. Here the list is a BehaviorSubject updated
// once per post: a new subscriber gets the current list first, then every
// change, and unsubscribing (the client leaving) removes it.
package location
