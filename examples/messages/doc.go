// Package messages ports the authenticated broadcast of seed 000 ("Nest.js
// 实战 (十三)"): a logged-in user posts a message and every other logged-in
// user gets it pushed at once.
//
// Routes: POST /auth/login answers {"access_token":…}; GET /sse/event
// streams the messages of the other users and needs the token, as an
// Authorization: Bearer header or, for a browser's native EventSource which
// cannot send headers, as the access_token query parameter (the seed reaches
// for event-source-polyfill instead); POST /messages creates a message.
//
// The seed's handler registers an event-emitter listener per connection and
// never removes it. Here a connection is a subscription to the "messages"
// topic of the bus, filtered to leave out the user's own messages, and it
// ends with the request. With the Redis bus, users on different instances
// see each other's messages.
package messages
