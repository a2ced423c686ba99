package redisbus

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// outage logs a Redis outage once, when publishes start failing for want
// of Redis, and once more when one succeeds again: not once per request.
type outage struct {
	mu   sync.Mutex
	down bool
	n    int // publishes failed during this outage
}

func (o *outage) report(log *slog.Logger, err error) {
	o.mu.Lock()
	first := !o.down
	o.down = true
	o.n++
	o.mu.Unlock()
	if first {
		log.Warn("redisbus: Redis unavailable: publishes fail with 503 until it is back", "err", err)
	}
}

func (o *outage) recovered(log *slog.Logger) {
	o.mu.Lock()
	if !o.down {
		o.mu.Unlock()
		return
	}
	n := o.n
	o.down, o.n = false, 0
	o.mu.Unlock()
	log.Info("redisbus: Redis available again", "failedPublishes", n)
}

// unavailable reports whether err says Redis cannot be reached or cannot
// serve now (down, frozen, loading, a cluster without a master for the
// slot), rather than a mistake in the request.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, redis.ErrPoolTimeout) {
		return true
	}
	if _, ok := errors.AsType[net.Error](err); ok { // *net.OpError included
		return true
	}
	msg := err.Error()
	for _, p := range []string{"LOADING", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "connection refused", "connection reset"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
