package redisbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/internal/fanout"
	"github.com/rxsse/rxsse/bus/internal/streamid"
	"github.com/rxsse/rxsse/rx"
)

// Defaults of Options.
const (
	DefaultStream = "rxsse:bus"
	DefaultMaxLen = 10_000
	DefaultBlock  = 2 * time.Second
)

// Options configures a Hub. A nil *Options, and zero fields, mean the
// defaults.
type Options struct {
	// Stream is the key of the Redis stream (default DefaultStream). Hubs
	// that share a stream share their messages.
	Stream string
	// MaxLen bounds the stream, and so the history that replay can reach,
	// to about MaxLen entries (XADD MAXLEN ~; default DefaultMaxLen).
	MaxLen int64
	// MaxAge also trims the entries older than MaxAge (XTRIM MINID ~, in
	// the same round trip as XADD; 0: no age limit).
	MaxAge time.Duration
	// Block is how long one XREAD waits for new entries (default
	// DefaultBlock). A connection that went silent is given up after Block
	// plus 10 seconds (go-redis's margin for blocking commands).
	Block time.Duration
	// Logger receives the reader's connection problems and recoveries
	// (default slog.Default()).
	Logger *slog.Logger
}

// Hub is a bus.Hub on a Redis stream: Publish is an XADD, whose entry id is
// the message id; one reader goroutine per Hub (not per subscriber) reads
// the stream (XREAD) and routes each entry to the local subscribers it is
// addressed to, as the memory hub does. Replay after a Last-Event-ID reads
// the stream (XRANGE).
//
// When Redis restarts or the connection drops, the reader reconnects and
// resumes after the last entry it read: nothing that Redis kept is lost
// (with persistence, everything whose XADD succeeded). Meanwhile Publish
// fails, and subscribers wait.
//
// Publish is not retried by the client after a network error (unless the
// URL sets max_retries): such an error leaves it unknown whether the
// message was added, and a blind retry could add it twice.
//
// Observers are called from the reader goroutine: one that blocks delays
// delivery to every subscriber of this Hub.
type Hub struct {
	client *redis.Client
	stream string
	maxLen int64
	maxAge time.Duration
	block  time.Duration
	log    *slog.Logger

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	done   chan struct{} // closed when the reader has returned
	// readerID is the Redis client id of the reader's connection, 0 when it
	// has none.
	readerID atomic.Int64
	replays  sync.WaitGroup

	mu     sync.Mutex
	closed bool
	last   streamid.ID // id of the last entry routed
	router fanout.Router[bus.Message]
}

var _ bus.Hub = (*Hub)(nil)

// replayBatch is how many entries one XRANGE of a replay reads.
const replayBatch = 1000

// readBatch is how many entries one XREAD reads at most.
const readBatch = 512

// New connects to the Redis server at url (redis://[user:password@]host:port[/db],
// see redis.ParseURL) and starts the Hub's reader after the stream's
// current last entry. ctx bounds the connection attempt.
func New(ctx context.Context, url string, opts *Options) (*Hub, error) {
	if opts == nil {
		opts = &Options{}
	}
	if opts.MaxLen < 0 || opts.MaxAge < 0 || opts.Block < 0 {
		panic("redisbus: New: negative MaxLen, MaxAge or Block")
	}
	ropts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redisbus: %w", err)
	}
	if ropts.MaxRetries == 0 {
		ropts.MaxRetries = -1 // see Hub: no blind retry of XADD
	}
	h := &Hub{
		client: redis.NewClient(ropts),
		stream: cmp(opts.Stream, DefaultStream),
		maxLen: cmp(opts.MaxLen, DefaultMaxLen),
		maxAge: opts.MaxAge,
		block:  cmp(opts.Block, DefaultBlock),
		log:    opts.Logger,
		done:   make(chan struct{}),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	last, err := h.client.XRevRangeN(ctx, h.stream, "+", "-", 1).Result()
	if err != nil {
		h.client.Close()
		return nil, fmt.Errorf("redisbus: reading stream %q: %w", h.stream, err)
	}
	if len(last) > 0 {
		if h.last, err = streamid.Parse(last[0].ID); err != nil {
			h.client.Close()
			return nil, fmt.Errorf("redisbus: stream %q: entry id %q: %w", h.stream, last[0].ID, err)
		}
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	go h.read()
	return h, nil
}

// cmp returns v, or def when v is zero.
func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Publish adds the message to the stream and returns its entry id. Local
// subscribers get it from the reader, like those of other instances.
func (h *Hub) Publish(ctx context.Context, to bus.Address, typ string, data []byte) (string, error) {
	if !to.Valid() {
		return "", bus.ErrAddress
	}
	if typ == bus.MarkType {
		return "", bus.ErrReservedType
	}
	if h.ctx.Err() != nil {
		return "", bus.ErrClosed
	}
	values := make([]any, 0, 8)
	if data == nil {
		data = []byte{} // go-redis writes nil as "", keep it explicit
	}
	values = append(values, "d", data)
	if typ != "" {
		values = append(values, "y", typ)
	}
	if t := to.Topic(); t != "" {
		values = append(values, "t", t)
	}
	if users := to.Users(); len(users) > 0 {
		u, err := json.Marshal(users)
		if err != nil {
			return "", fmt.Errorf("redisbus: publish: %w", err)
		}
		values = append(values, "u", u)
	}
	add := &redis.XAddArgs{Stream: h.stream, MaxLen: h.maxLen, Approx: true, Values: values}
	var id string
	var err error
	if h.maxAge <= 0 {
		id, err = h.client.XAdd(ctx, add).Result()
	} else {
		var cmd *redis.StringCmd
		minID := strconv.FormatInt(time.Now().Add(-h.maxAge).UnixMilli(), 10)
		_, err = h.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			cmd = p.XAdd(ctx, add)
			p.XTrimMinIDApprox(ctx, h.stream, minID, 0)
			return nil
		})
		if err == nil {
			id, err = cmd.Result()
		}
	}
	if err != nil {
		if h.ctx.Err() != nil {
			return "", bus.ErrClosed
		}
		return "", fmt.Errorf("redisbus: publish: %w", err)
	}
	return id, nil
}

// Subscribe returns the messages addressed to sub; see bus.Hub. The
// subscription is registered at once; a replay reads Redis on a goroutine of
// its own while live messages wait in the subscriber's queue.
//
// A start mark (sub.Mark) is the id of the last entry the Hub's reader had
// routed when the subscription was registered (or the client's LastEventID,
// if later), so it names an entry of the stream, whose presence proves on
// resumption that nothing after it was trimmed. On a stream that had no
// entry yet it is "0-0": resuming after "0-0" replays the whole stream, and
// fails with bus.ErrReplayGap once any entry was ever trimmed or deleted
// from it (XINFO STREAM entries-added, Redis 7). Only a stream lost as a
// whole (Redis restarted without persistence) after a "0-0" mark goes
// unnoticed.
func (h *Hub) Subscribe(ctx context.Context, sub bus.Subscription) rx.Observable[*bus.Message] {
	sub.Topics = slices.Clone(sub.Topics) // the caller may reuse its slice
	return rx.Create(func(s rx.Subscriber[*bus.Message]) func() {
		// after is the client's last id. When this Hub's reader is behind it
		// (the client comes from another instance), live messages up to it
		// are dropped.
		var after streamid.ID
		var keep func(*bus.Message) bool
		if sub.LastEventID != "" {
			var err error
			if after, err = streamid.Parse(sub.LastEventID); err != nil {
				s.Error(fmt.Errorf("%w (%q is not a stream id)", bus.ErrReplayGap, sub.LastEventID))
				return nil
			}
			passed := false
			keep = func(m *bus.Message) bool {
				if !passed && streamid.MustParse(m.ID).Compare(after) <= 0 {
					return false
				}
				passed = true
				return true
			}
		}
		fs := fanout.NewSub(s, sub.User, sub.Topics, keep)

		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			s.Error(bus.ErrClosed)
			return nil
		}
		h.router.Add(fs)
		live := h.last // live delivery starts after this entry
		replay := keep != nil && after.Compare(live) != 0
		if replay {
			h.replays.Add(1)
		}
		h.mu.Unlock()
		mark := live // keep drops live messages up to after
		if keep != nil && after.Compare(live) > 0 {
			mark = after
		}

		stop := completeWhenDone(ctx, s)
		teardown := func() {
			stop()
			h.mu.Lock()
			h.router.Remove(fs)
			h.mu.Unlock()
		}
		if !replay {
			if sub.Mark {
				s.Next(markMessage(mark))
			}
			fs.Drain()
			return teardown
		}
		go func() {
			defer h.replays.Done()
			// Live messages all come after live, where the replay stops:
			// they meet without gap or overlap.
			err := h.replay(s, sub, after, live)
			if h.ctx.Err() == nil { // else the replay may be cut short: no mark
				if err != nil {
					s.Error(err)
					return
				}
				if sub.Mark {
					s.Next(markMessage(mark))
				}
			}
			fs.Drain()
		}()
		return teardown
	})
}

// replay delivers to s the entries after the id after, up to live (the last
// one routed live when s registered), that sub receives. Every read starts
// at the last entry seen, inclusive, and checks that it is still in the
// stream: trimming removes the oldest entries first, so if it is there,
// nothing after it was trimmed. If it is not, the stream was trimmed past it
// (or after never was one of its ids) and the replay fails with
// bus.ErrReplayGap. After "0-0", which no entry has (the start mark of an
// empty stream), the first read is checked by whole instead.
func (h *Hub) replay(s rx.Subscriber[*bus.Message], sub bus.Subscription, after, live streamid.ID) error {
	ctx := s.Context()
	end := after
	if live.Compare(after) > 0 {
		end = live
	}
	start := after.String()
	fromStart := after == streamid.ID{}
	for h.ctx.Err() == nil { // Close waits for replays: stop between reads
		entries, err := h.client.XRangeN(ctx, h.stream, start, end.String(), replayBatch).Result()
		if err != nil {
			return fmt.Errorf("redisbus: replay after %s: %w", sub.LastEventID, err)
		}
		next := entries
		if fromStart {
			fromStart = false
			if err := h.whole(ctx, sub); err != nil {
				return err
			}
		} else {
			if len(entries) == 0 || entries[0].ID != start {
				return fmt.Errorf("%w (%q)", bus.ErrReplayGap, sub.LastEventID)
			}
			next = entries[1:]
		}
		for _, e := range next {
			m, err := decode(e)
			if err != nil {
				h.log.Warn("redisbus: skipping an entry that is not a bus message", "stream", h.stream, "id", e.ID, "err", err)
				continue
			}
			if sub.Receives(m) {
				s.Next(m)
			}
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
// Redis 7 (entries-added), and fails with bus.ErrReplayGap on older
// servers, which do not report it.
func (h *Hub) whole(ctx context.Context, sub bus.Subscription) error {
	info, err := h.client.XInfoStream(ctx, h.stream).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			// Replay runs only when the reader has routed entries since: the
			// stream was deleted.
			return fmt.Errorf("%w (%q: stream %q deleted)", bus.ErrReplayGap, sub.LastEventID, h.stream)
		}
		return fmt.Errorf("redisbus: replay after %s: %w", sub.LastEventID, err)
	}
	if info.EntriesAdded != info.Length {
		return fmt.Errorf("%w (%q: %d of the %d entries ever added to the stream are left)", bus.ErrReplayGap, sub.LastEventID, info.Length, info.EntriesAdded)
	}
	return nil
}

// completeWhenDone completes s when ctx ends, until stop is called.
func completeWhenDone[T any](ctx context.Context, s rx.Subscriber[T]) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	unregister := context.AfterFunc(ctx, s.Complete)
	return func() { unregister() }
}

// read is the Hub's reader: it reads the stream after the last entry it
// routed, for ever, reconnecting with backoff when Redis fails. It reads on a
// connection of its own, whose client id lets Close wake it (CLIENT UNBLOCK).
func (h *Hub) read() {
	defer close(h.done)
	const minBackoff, maxBackoff = 50 * time.Millisecond, 2 * time.Second
	var (
		backoff time.Duration
		claimed []*fanout.Sub[bus.Message]
		conn    *redis.Conn
	)
	h.mu.Lock()
	last := h.last.String()
	h.mu.Unlock()
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for h.ctx.Err() == nil {
		var res []redis.XStream
		var err error
		if conn == nil {
			conn = h.client.Conn()
			var id int64
			if id, err = conn.ClientID(h.ctx).Result(); err == nil {
				h.readerID.Store(id)
			}
		}
		if err == nil {
			res, err = conn.XRead(h.ctx, &redis.XReadArgs{
				Streams: []string{h.stream, last},
				Count:   readBatch,
				Block:   h.block,
			}).Result()
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			h.readerID.Store(0)
			conn.Close()
			conn = nil
			if h.ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, minBackoff), maxBackoff)
			h.log.Warn("redisbus: reading the stream failed; retrying", "stream", h.stream, "after", last, "retry_in", backoff, "err", err)
			select {
			case <-time.After(backoff):
			case <-h.ctx.Done():
				return
			}
			continue
		}
		if backoff > 0 {
			h.log.Info("redisbus: reading the stream again", "stream", h.stream, "after", last)
			backoff = 0
		}
		for _, st := range res {
			if len(st.Messages) > 0 {
				claimed = h.route(st.Messages, claimed)
				last = st.Messages[len(st.Messages)-1].ID
			}
		}
	}
}

// stopReader ends the reader: it wakes a blocked XREAD with CLIENT UNBLOCK,
// or, if Redis does not answer, closes the client's connections (a read on a
// closed connection fails at once). It reports whether it closed the client.
func (h *Hub) stopReader() (closed bool) {
	h.cancel()
	for range 20 {
		if id := h.readerID.Load(); id != 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			h.client.ClientUnblock(ctx, id)
			cancel()
		}
		select {
		case <-h.done:
			return false
		case <-time.After(10 * time.Millisecond):
			// The reader was between two reads: it may block again.
		}
	}
	h.client.Close()
	<-h.done
	return true
}

// route hands entries to their local recipients, then delivers.
func (h *Hub) route(entries []redis.XMessage, claimed []*fanout.Sub[bus.Message]) []*fanout.Sub[bus.Message] {
	msgs := make([]*bus.Message, 0, len(entries))
	for _, e := range entries {
		m, err := decode(e)
		if err != nil {
			h.log.Warn("redisbus: skipping an entry that is not a bus message", "stream", h.stream, "id", e.ID, "err", err)
			continue
		}
		msgs = append(msgs, m)
	}
	lastID, err := streamid.Parse(entries[len(entries)-1].ID)
	if err != nil {
		h.log.Error("redisbus: stream entry id", "stream", h.stream, "id", entries[len(entries)-1].ID, "err", err)
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return claimed
	}
	for _, m := range msgs {
		claimed = h.router.Route(m, m.Topic, m.Users, claimed)
	}
	if err == nil {
		h.last = lastID
	}
	h.mu.Unlock()
	fanout.Drain(claimed)
	return claimed[:0]
}

// decode turns a stream entry into a message.
func decode(e redis.XMessage) (*bus.Message, error) {
	if _, err := streamid.Parse(e.ID); err != nil {
		return nil, err
	}
	m := &bus.Message{ID: e.ID}
	d, ok := e.Values["d"].(string)
	if !ok {
		return nil, errors.New(`no "d" field`)
	}
	m.Data = []byte(d)
	m.Type, _ = e.Values["y"].(string)
	if m.Type == bus.MarkType {
		return nil, bus.ErrReservedType // added by another client: not a mark
	}
	m.Topic, _ = e.Values["t"].(string)
	if u, ok := e.Values["u"].(string); ok {
		if err := json.Unmarshal([]byte(u), &m.Users); err != nil {
			return nil, fmt.Errorf(`"u" field: %w`, err)
		}
		m.Users = fanout.Dedupe(m.Users)
		if len(m.Users) == 0 {
			return nil, errors.New(`"u" field: no user`)
		}
	}
	m.Seal()
	return m, nil
}

// markMessage returns the start mark at id (see bus.MarkType).
func markMessage(id streamid.ID) *bus.Message {
	m := &bus.Message{ID: id.String(), Type: bus.MarkType}
	m.Seal()
	return m
}

// Subscribers returns the number of subscriptions registered on this Hub.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.router.Len()
}

// Close stops the reader, ends every subscription of this Hub (their
// streams complete), and closes the connection to Redis. Later calls fail
// with bus.ErrClosed. Close waits for the reader, so it must not be called
// from an observer of this Hub's streams.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	claimed := h.router.EndAll(nil)
	h.mu.Unlock()

	closedClient := h.stopReader()
	h.replays.Wait() // they stop after their current XRANGE
	var err error
	if !closedClient {
		err = h.client.Close()
	}
	fanout.Drain(claimed)
	if err != nil {
		return fmt.Errorf("redisbus: close: %w", err)
	}
	return nil
}
