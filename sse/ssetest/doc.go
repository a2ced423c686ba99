// Package ssetest reads text/event-stream responses the way a browser's
// EventSource does, following the WHATWG rules, for tests of SSE servers.
package ssetest
