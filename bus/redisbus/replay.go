package redisbus

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/streamid"
	"github.com/rxsse/rxsse/rx"
)

// replay delivers to s the messages after from, up to end, that sub
// receives, read from the histories of its recipients (the broadcasts', its
// user's, its topics'), merged in id order. With check, from is the
// client's id, and the histories must reach back to it (see kept). After
// "0-0" (the start mark of an empty stream) it reads the bus's stream
// instead, which must never have lost an entry.
func (h *Hub) replay(s rx.Subscriber[*bus.Message], sub bus.Recipient, from, end streamid.ID, check bool) error {
	ctx := s.Context()
	if check && from == (streamid.ID{}) {
		return h.scan(ctx, from, end, true, func(m *bus.Message) {
			h.replayed.Add(1)
			if sub.Receives(m) {
				s.Next(m)
			}
		})
	}
	if !check && from.Compare(end) >= 0 {
		return nil
	}
	msgs, err := h.history(ctx, h.names.histories(sub), from, end, check)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if h.ctx.Err() != nil {
			return nil
		}
		if sub.Receives(m) {
			s.Next(m)
		}
	}
	return nil
}

// history reads the entries after from, up to end, of the histories keys,
// and returns them in id order. A message is in one of a subscriber's
// histories only (a broadcast in the broadcasts', a topic message in its
// topic's, a message to users in each of theirs, and a subscriber has one
// user), so the merge has no duplicate. With check, it fails with
// bus.ErrReplayGap unless every history still holds what followed from.
func (h *Hub) history(ctx context.Context, keys []string, from, end streamid.ID, check bool) ([]*bus.Message, error) {
	if check {
		if err := h.known(ctx, from); err != nil {
			return nil, err
		}
	}
	var out []*bus.Message
	lists := 0
	for _, key := range keys {
		n := len(out)
		start := "(" + from.String()
		for h.ctx.Err() == nil { // Close waits for replays: stop between reads
			entries, err := h.client.XRangeN(ctx, key, start, end.String(), replayBatch).Result()
			if err != nil {
				return nil, fmt.Errorf("redisbus: reading the history %q after %s: %w", key, from, err)
			}
			for _, e := range entries {
				h.replayed.Add(1)
				m, err := decode(e)
				if err != nil {
					h.log.Warn("redisbus: skipping an entry that is not a bus message", "history", key, "id", e.ID, "err", err)
					continue
				}
				out = append(out, m)
			}
			if len(entries) < replayBatch {
				break
			}
			start = "(" + entries[len(entries)-1].ID
		}
		// Checked after the read: if nothing after from was trimmed by now,
		// nothing was when it was read.
		if check {
			if err := h.kept(ctx, key, from); err != nil {
				return nil, err
			}
		}
		if len(out) > n {
			lists++
		}
	}
	if lists > 1 {
		slices.SortFunc(out, func(a, b *bus.Message) int {
			return streamid.MustParse(a.ID).Compare(streamid.MustParse(b.ID))
		})
	}
	return out, nil
}

// known fails with bus.ErrReplayGap unless from can be a position in the
// histories: not older than HistoryTTL (a history that expired as a whole
// could have held messages after it), and not after the last id the bus's
// stream ever gave (which it would be after the stream was lost, Redis
// having restarted without persistence, or with the last writes lost).
func (h *Hub) known(ctx context.Context, from streamid.ID) error {
	if age := time.Now().UnixMilli() - int64(from.Hi); age > h.historyTTL.Milliseconds() {
		return fmt.Errorf("%w (%q is older than the history's %v)", bus.ErrReplayGap, from.String(), h.historyTTL)
	}
	var last streamid.ID
	info, err := h.client.XInfoStream(ctx, h.stream).Result()
	switch {
	case err == nil:
		last, _ = streamid.Parse(info.LastGeneratedID)
	case !strings.Contains(err.Error(), "no such key"):
		return fmt.Errorf("redisbus: reading stream %q: %w", h.stream, err)
	}
	if from.Compare(last) > 0 {
		return fmt.Errorf("%w (%q is after the last id of stream %q, %s)", bus.ErrReplayGap, from.String(), h.stream, last)
	}
	return nil
}

// kept fails with bus.ErrReplayGap if history key may have lost an entry
// after from. Trimming removes the oldest entries (and XTRIM does not
// record what it removed, unlike XDEL), so: if the key lost any entry, its
// oldest remaining one must be at or before from; if it has none left, its
// last id must be. A key that does not exist never had an entry, or
// expired HistoryTTL after its last one: known ruled out that it held any
// after from.
func (h *Hub) kept(ctx context.Context, key string, from streamid.ID) error {
	info, err := h.client.XInfoStream(ctx, key).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			return nil
		}
		return fmt.Errorf("redisbus: reading the history %q: %w", key, err)
	}
	if d, err := streamid.Parse(info.MaxDeletedEntryID); err == nil && d.Compare(from) > 0 {
		return fmt.Errorf("%w (%q: an entry of the history %q was deleted, up to %s)", bus.ErrReplayGap, from.String(), key, d)
	}
	if info.EntriesAdded == info.Length {
		return nil // nothing was ever removed
	}
	oldest := info.LastGeneratedID
	if info.Length > 0 {
		oldest = info.FirstEntry.ID
	}
	if o, err := streamid.Parse(oldest); err != nil || o.Compare(from) > 0 {
		return fmt.Errorf("%w (%q: the history %q was trimmed, it starts at %s)", bus.ErrReplayGap, from.String(), key, oldest)
	}
	return nil
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
