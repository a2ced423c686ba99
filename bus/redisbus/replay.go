package redisbus

import (
	"context"
	"fmt"
	"strings"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/streamid"
	"github.com/rxsse/rxsse/rx"
)

// replay delivers to s the entries after from, up to end, that sub
// receives. With check, from is the client's id and must still be in the
// stream (see scan).
func (h *Hub) replay(s rx.Subscriber[*bus.Message], sub bus.Recipient, from, end streamid.ID, check bool) error {
	return h.scan(s.Context(), from, end, check, func(m *bus.Message) {
		h.replayed.Add(1)
		if sub.Receives(m) {
			s.Next(m)
		}
	})
}


// scan visits the entries after from, up to end, in batches. Without check
// it reads after from. With check, every read starts at the last entry
// seen, inclusive, and checks that it is still in the stream: trimming
// removes the oldest entries first, so if it is there, nothing after it was
// trimmed. If it is not, the stream was trimmed past it (or from never was
// one of its ids) and scan fails with bus.ErrReplayGap. After "0-0", which
// no entry has (the start mark of an empty stream), the first read is
// checked by whole instead.
func (h *Hub) scan(ctx context.Context, from, end streamid.ID, check bool, visit func(*bus.Message)) error {
	if !check && from.Compare(end) >= 0 {
		return nil
	}
	start := from.String()
	exclusive := !check
	fromStart := check && from == streamid.ID{}
	for h.ctx.Err() == nil { // Close waits for replays: stop between reads
		q := start
		if exclusive {
			q = "(" + start
		}
		entries, err := h.client.XRangeN(ctx, h.stream, q, end.String(), replayBatch).Result()
		if err != nil {
			return fmt.Errorf("redisbus: reading the stream after %s: %w", from, err)
		}
		next := entries
		switch {
		case fromStart:
			fromStart = false
			if err := h.whole(ctx, from, end); err != nil {
				return err
			}
		case !exclusive:
			if len(entries) == 0 || entries[0].ID != start {
				return fmt.Errorf("%w (%q)", bus.ErrReplayGap, from.String())
			}
			next = entries[1:]
		}
		for _, e := range next {
			m, err := decode(e)
			if err != nil {
				h.log.Warn("redisbus: skipping an entry that is not a bus message", "stream", h.stream, "id", e.ID, "err", err)
				continue
			}
			visit(m)
		}
		if len(entries) < replayBatch {
			return nil
		}
		start = entries[len(entries)-1].ID
	}
	return nil
}

// whole checks, after a read from the start of the stream, that the stream
// never lost an entry (trimmed or deleted): then that read missed nothing.
// It is the check of a replay after "0-0", which no entry has; it needs
// Redis 7 (entries-added).
func (h *Hub) whole(ctx context.Context, from, end streamid.ID) error {
	info, err := h.client.XInfoStream(ctx, h.stream).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			if end == (streamid.ID{}) {
				return nil // nothing was ever added
			}
			// Entries were seen up to end: the stream was deleted.
			return fmt.Errorf("%w (%q: stream %q deleted)", bus.ErrReplayGap, from.String(), h.stream)
		}
		return fmt.Errorf("redisbus: reading the stream after %s: %w", from, err)
	}
	if info.EntriesAdded != info.Length {
		return fmt.Errorf("%w (%q: %d of the %d entries ever added to the stream are left)", bus.ErrReplayGap, from.String(), info.Length, info.EntriesAdded)
	}
	return nil
}
