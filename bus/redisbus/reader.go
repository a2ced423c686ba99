package redisbus

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/fanout"
	"github.com/rxsse/rxsse/bus/internal/streamid"
)

const tokenPrefix = "rxsse:"

func tokenPayload(tok uint64) string { return tokenPrefix + strconv.FormatUint(tok, 10) }

// read is the Hub's reader: it holds the live connection, for ever,
// reconnecting with backoff when Redis fails. After each (re)connection it
// reads from the stream what it may have missed.
func (h *Hub) read() {
	defer close(h.done)
	const minBackoff, maxBackoff = 50 * time.Millisecond, 2 * time.Second
	var backoff time.Duration
	for h.ctx.Err() == nil {
		ps, first, err := h.connect()
		if err == nil {
			err = h.receive(ps, first, &backoff)
		}
		h.disconnect()
		if h.ctx.Err() != nil {
			return
		}
		backoff = min(max(2*backoff, minBackoff), maxBackoff)
		h.log.Warn("redisbus: the live connection failed; reconnecting", "stream", h.stream, "after", h.position(), "retry_in", backoff, "err", err)
		select {
		case <-time.After(backoff):
		case <-h.ctx.Done():
			return
		}
	}
}

func (h *Hub) position() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last.String()
}

// errReconnected reports that go-redis replaced the live connection by
// itself: what was published meanwhile must be read from the stream.
var errReconnected = errors.New("redisbus: the live connection was re-established")

// connect opens the live connection, subscribed to the channel of every
// subscriber and to the broadcast channel, and sends its first barrier.
func (h *Hub) connect() (*redis.PubSub, uint64, error) {
	h.psMu.Lock()
	defer h.psMu.Unlock()
	if h.ctx.Err() != nil {
		return nil, 0, bus.ErrClosed
	}
	ps := h.client.SSubscribe(h.ctx) // no channel yet: no connection yet
	h.mu.Lock()
	names := make([]string, 0, 1+len(h.chans))
	names = append(names, h.names.all()) // first: on a cluster, it picks the node
	for n, c := range h.chans {
		names = append(names, n)
		c.asked = true
	}
	h.mu.Unlock()
	if err := ps.SSubscribe(h.ctx, names...); err != nil {
		ps.Close()
		return nil, 0, err
	}
	h.ps = ps
	clear(h.subscribed)
	for _, n := range names {
		h.subscribed[n] = true
	}
	return ps, h.barrier(h.ctx), nil
}

// disconnect closes the live connection.
func (h *Hub) disconnect() {
	h.psMu.Lock()
	defer h.psMu.Unlock()
	if h.ps != nil {
		h.ps.Close()
		h.ps = nil
	}
}

// receive routes what the live connection brings until it fails. The
// answer to the first barrier, sent after the subscriptions, starts the
// catch-up: everything published after it arrives live, what was published
// before it is read from the stream. Every Block without traffic, a
// barrier checks the connection and moves the reader's position to the
// stream's end, which it read before sending the barrier.
func (h *Hub) receive(ps *redis.PubSub, first uint64, backoff *time.Duration) error {
	var (
		claimed  []*fanout.Sub[bus.Message]
		caughtUp bool
		asked    uint64         // barrier awaited, 0 if none
		askedAt  streamid.ID    // stream end read before it
		allSubs  int            // confirmations of the broadcast channel
		early    []*bus.Message // live before the catch-up: routed after it
	)
	for {
		msg, err := ps.ReceiveTimeout(h.ctx, h.block)
		if err != nil {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() || h.ctx.Err() != nil {
				return err
			}
			if !caughtUp || asked != 0 {
				return fmt.Errorf("no answer to PING within %v", 2*h.block)
			}
			end, err := h.tail(h.ctx)
			if err != nil {
				return err
			}
			h.psMu.Lock()
			if h.ps != ps { // closed
				h.psMu.Unlock()
				return bus.ErrClosed
			}
			asked, askedAt = h.barrier(h.ctx), end
			h.psMu.Unlock()
			continue
		}
		switch m := msg.(type) {
		case *redis.Message:
			h.live.Add(1)
			bm, err := decodeLive(m.Payload)
			if err != nil {
				h.log.Warn("redisbus: skipping a live message that is not a bus message", "channel", m.Channel, "err", err)
				continue
			}
			if !caughtUp {
				early = append(early, bm)
				continue
			}
			claimed = h.route(bm, claimed)
		case *redis.Pong:
			tok, ok := strings.CutPrefix(m.Payload, tokenPrefix)
			if !ok {
				continue
			}
			n, err := strconv.ParseUint(tok, 10, 64)
			if err != nil {
				continue
			}
			if !caughtUp && n >= first {
				if err := h.catchUp(&claimed); err != nil {
					return err
				}
				caughtUp = true
				for i, bm := range early {
					early[i] = nil
					claimed = h.route(bm, claimed)
				}
				early = nil
				if *backoff > 0 {
					h.log.Info("redisbus: live again", "stream", h.stream, "after", h.position())
					*backoff = 0
				}
			}
			h.mu.Lock()
			if asked != 0 && n >= asked {
				// Everything up to askedAt for this Hub has arrived.
				h.last = later(h.last, askedAt)
				asked = 0
			}
			h.answered(n)
			h.mu.Unlock()
		case *redis.Subscription:
			if m.Kind == "ssubscribe" && m.Channel == h.names.all() {
				if allSubs++; allSubs > 1 {
					return errReconnected
				}
			}
		}
	}
}

// catchUp routes what was published between the reader's position and the
// stream's end. If the stream no longer reaches back to the position, every
// subscription ends (completes): its client reconnects, and its own replay
// tells it whether it lost anything.
func (h *Hub) catchUp(claimed *[]*fanout.Sub[bus.Message]) error {
	end, err := h.tail(h.ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	from := h.last
	h.mu.Unlock()
	err = h.scan(h.ctx, from, end, from != streamid.ID{}, func(m *bus.Message) {
		h.caughtUp.Add(1)
		*claimed = h.route(m, *claimed)
	})
	if errors.Is(err, bus.ErrReplayGap) {
		h.log.Error("redisbus: the stream was trimmed past the reader's position while it was disconnected; ending every subscription", "stream", h.stream, "after", from, "err", err)
		h.mu.Lock()
		*claimed = h.router.EndAll(*claimed)
		h.last = later(h.last, end)
		h.mu.Unlock()
		fanout.Drain(*claimed)
		*claimed = (*claimed)[:0]
		return nil
	}
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.last = later(h.last, end)
	h.mu.Unlock()
	return nil
}

// route hands m to its local recipients, then delivers. A message at or
// before the reader's position was routed already (a copy sent on two
// channels this Hub listens to, or read by a catch-up) and is dropped.
func (h *Hub) route(m *bus.Message, claimed []*fanout.Sub[bus.Message]) []*fanout.Sub[bus.Message] {
	id := streamid.MustParse(m.ID)
	h.mu.Lock()
	if h.closed || id.Compare(h.last) <= 0 {
		h.mu.Unlock()
		return claimed
	}
	claimed = h.router.Route(m, m.Topic, m.Users, claimed)
	h.last = id
	h.mu.Unlock()
	fanout.Drain(claimed)
	return claimed[:0]
}
