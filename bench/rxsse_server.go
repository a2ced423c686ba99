package main

import (
	"fmt"

	"github.com/rxsse/rxsse/bench/internal/rxsseserver"
	"github.com/rxsse/rxsse/sse"
)

// newRxsseServer returns the contract server built on rxsse.
func newRxsseServer(c serveConfig) (*rxsseserver.Server, error) {
	so := &sse.Options{QueueSize: c.queue, Heartbeat: c.heartbeat, Attached: c.attached}
	if c.heartbeat == 0 {
		so.Heartbeat = -1 // off, as the flag's 0 says
	}
	switch c.policy {
	case "disconnect":
		so.SlowClient = sse.Disconnect
	case "drop-oldest":
		so.SlowClient = sse.DropOldest
	case "drop-newest":
		so.SlowClient = sse.DropNewest
	default:
		return nil, fmt.Errorf("serve: -policy %q: want disconnect, drop-oldest or drop-newest", c.policy)
	}
	return rxsseserver.New(&rxsseserver.Options{Stream: so, Metrics: c.metrics}), nil
}
