package redisbus

import (
	"context"
	"fmt"
	"strings"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/fanout"
)

// channels names the live channels of one stream. Every name carries the
// stream's hash tag, so that on a cluster they live in the stream's slot:
// the publish script may send to them, and one connection to one node
// receives them all, in the stream's order.
type channels struct {
	prefix string // "{tag}:"
}

// newChannels derives the channel names of stream: its hash tag if it has
// one ("{app}:bus" → "{app}:"), else the whole key ("rxsse:bus" →
// "{rxsse:bus}:").
func newChannels(stream string) (channels, error) {
	if i := strings.IndexByte(stream, '{'); i >= 0 {
		if j := strings.IndexByte(stream[i+1:], '}'); j > 0 {
			return channels{prefix: "{" + stream[i+1:i+1+j] + "}:"}, nil
		}
	}
	if strings.IndexByte(stream, '}') >= 0 {
		return channels{}, fmt.Errorf("redisbus: stream %q: a key with '}' needs a hash tag ({…})", stream)
	}
	return channels{prefix: "{" + stream + "}:"}, nil
}

func (c channels) all() string           { return c.prefix + "a" }
func (c channels) user(u string) string  { return c.prefix + "u:" + u }
func (c channels) topic(t string) string { return c.prefix + "t:" + t }
func (c channels) of(sub bus.Recipient) []string {
	out := make([]string, 0, 1+len(sub.Topics))
	if sub.User != "" {
		out = append(out, c.user(sub.User))
	}
	for _, t := range fanout.Dedupe(sub.Topics) {
		out = append(out, c.topic(t))
	}
	return out
}

// histories returns the recipient histories that sub reads from: the
// broadcasts', its user's and its topics'.
func (c channels) histories(sub bus.Recipient) []string {
	return append([]string{c.all()}, c.of(sub)...)
}

// to returns the channels a publish to a is sent on.
func (c channels) to(a bus.Address) []string {
	if t := a.Topic(); t != "" {
		return []string{c.topic(t)}
	}
	if users := a.Users(); len(users) > 0 {
		out := make([]string, len(users))
		for i, u := range users {
			out[i] = c.user(u)
		}
		return out
	}
	return []string{c.all()}
}

// channel is a channel some local subscriber needs.
type channel struct {
	refs  int
	ready chan struct{} // closed once live copies on it reach the reader
	asked bool          // the live connection was asked to subscribe to it
	token uint64        // barrier whose answer makes it ready (0: none yet)
}

// acquire takes a reference on the channels names, and returns those not
// ready yet. h.mu must be held.
func (h *Hub) acquire(names []string) (waits []chan struct{}) {
	ask := false
	for _, n := range names {
		c := h.chans[n]
		if c == nil {
			c = &channel{ready: make(chan struct{})}
			h.chans[n] = c
			h.pending = append(h.pending, c)
			ask = true
		}
		c.refs++
		select {
		case <-c.ready:
		default:
			waits = append(waits, c.ready)
		}
	}
	if ask {
		h.wakeControl()
	}
	return waits
}

// ready reports whether every channel of names is in place. h.mu must be
// held.
func (h *Hub) readyAll(names []string) bool {
	for _, n := range names {
		c := h.chans[n]
		if c == nil {
			return false
		}
		select {
		case <-c.ready:
		default:
			return false
		}
	}
	return true
}

// release drops a reference on the channels names; the control goroutine
// unsubscribes those no one needs any more. h.mu must be held.
func (h *Hub) release(names []string) {
	drop := false
	for _, n := range names {
		c := h.chans[n]
		if c == nil {
			continue
		}
		if c.refs--; c.refs == 0 {
			delete(h.chans, n)
			drop = true
		}
	}
	if drop {
		h.wakeControl()
	}
}

func (h *Hub) wakeControl() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// control keeps the live connection's subscriptions in step with h.chans:
// it subscribes to new channels and unsubscribes from unused ones, in
// batches, and follows each batch with a barrier (PING) whose answer tells
// the reader that the new channels are in place.
func (h *Hub) control() {
	defer close(h.controlDone)
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-h.wake:
		}
		h.sync()
	}
}

// sync sends one batch of (un)subscriptions and its barrier.
func (h *Hub) sync() {
	h.psMu.Lock()
	defer h.psMu.Unlock()
	if h.ps == nil {
		return // the reader is reconnecting: it subscribes to every channel
	}
	var add, drop []string
	asked := false // a channel needs a barrier
	h.mu.Lock()
	for n := range h.subscribed {
		if _, ok := h.chans[n]; !ok && n != h.names.all() {
			drop = append(drop, n)
			delete(h.subscribed, n)
		}
	}
	for n, c := range h.chans {
		if c.asked {
			continue
		}
		// A channel released and taken again may still be subscribed:
		// then the barrier alone tells when it is in place.
		if !h.subscribed[n] {
			add = append(add, n)
			h.subscribed[n] = true
		}
		c.asked, asked = true, true
	}
	h.mu.Unlock()
	if len(add) == 0 && len(drop) == 0 && !asked {
		return
	}
	// Write errors break the connection: the reader then reconnects and
	// subscribes to what h.chans holds.
	ctx := h.ctx
	if len(drop) > 0 {
		h.ps.SUnsubscribe(ctx, drop...)
	}
	if len(add) > 0 {
		h.ps.SSubscribe(ctx, add...)
	}
	if asked {
		h.barrier(ctx)
	}
}

// barrier sends a PING on the live connection and assigns its token to the
// channels not ready yet that the connection was asked to subscribe to
// (those not asked yet must wait for a barrier after their SSUBSCRIBE).
// h.psMu must be held.
func (h *Hub) barrier(ctx context.Context) uint64 {
	h.token++
	tok := h.token
	h.mu.Lock()
	for _, c := range h.pending {
		if c.asked {
			c.token = tok
		}
	}
	h.mu.Unlock()
	h.ps.Ping(ctx, tokenPayload(tok))
	return tok
}

// answered makes ready the channels whose barrier tok answered. h.mu must
// be held.
func (h *Hub) answered(tok uint64) {
	h.lastAnswer = tok
	keep := h.pending[:0]
	for _, c := range h.pending {
		switch {
		case c.token != 0 && c.token <= tok:
			close(c.ready)
		case c.refs > 0:
			keep = append(keep, c)
		}
		// else released before it was ready: no one waits for it
	}
	clear(h.pending[len(keep):])
	h.pending = keep
}
