package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
)

// Hub returns hub with its use counted: publishes and their latency,
// subscriptions, replays (subscriptions with a LastEventID) and replay gaps
// (those that fail with bus.ErrReplayGap). Use the returned Hub in place of
// hub. Its Subscribers method is hub's when hub has one.
//
// Delivering a message costs nothing more: a subscription is counted when
// it starts and ends, and only a replaying one is watched for its error.
// What reaches clients is counted per route by the stream metrics.
func (c *Collector) Hub(hub bus.Hub) bus.Hub {
	return &countedHub{Hub: hub, c: c}
}

type countedHub struct {
	bus.Hub
	c    *Collector
	open int64
}

func (h *countedHub) Publish(ctx context.Context, to bus.Address, typ string, data []byte) (string, error) {
	start := time.Now()
	id, err := h.Hub.Publish(ctx, to, typ, data)
	h.c.observePublish(start, err)
	return id, err
}

func (h *countedHub) Subscribe(ctx context.Context, sub bus.Recipient) rx.Observable[*bus.Message] {
	src := h.Hub.Subscribe(ctx, sub)
	c := h.c
	return rx.Defer(func() rx.Observable[*bus.Message] {
		c.subscriptions.Inc()
		counted := src
		if sub.LastEventID != "" {
			c.replays.Inc()
			counted = rx.TapObserver(src, rx.ObserverFuncs[*bus.Message]{
				OnError: func(err error) {
					if errors.Is(err, bus.ErrReplayGap) {
						c.replayGaps.Inc()
					}
				},
			})
		}
		return rx.Finalize(counted, c.subscriptions.Dec)
	})
}

// Subscribers returns the wrapped hub's count of subscribers, for hubs that
// have one (bus.Memory, redisbus.Hub), or -1.
func (h *countedHub) Subscribers() int {
	if s, ok := h.Hub.(interface{ Subscribers() int }); ok {
		return s.Subscribers()
	}
	return -1
}
