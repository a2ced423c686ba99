package redisbus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
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
	// DefaultPublishTimeout bounds a publish when Options.PublishTimeout
	// is 0.
	DefaultPublishTimeout = 2 * time.Second

	DefaultHistoryLen = 1000
	DefaultHistoryTTL = 24 * time.Hour
)

// Options configures a Hub. A nil *Options, and zero fields, mean the
// defaults.
type Options struct {
	// Stream is the key of the Redis stream (default DefaultStream). Hubs
	// that share a stream share their messages. On a cluster the stream and
	// its live channels live in the stream's hash slot: give different apps
	// different streams (or hash tags) to spread them over the nodes.
	Stream string
	// MaxLen bounds the stream to about MaxLen entries (XADD MAXLEN ~;
	// default DefaultMaxLen): how far back an instance can catch up after
	// losing its live connection.
	MaxLen int64
	// HistoryLen bounds each recipient's history (a user's, a topic's, the
	// broadcasts'), and so what a replay after a Last-Event-ID can reach, to
	// about HistoryLen entries (default DefaultHistoryLen).
	HistoryLen int64
	// HistoryTTL is how long a recipient's history outlives its last
	// message (default DefaultHistoryTTL); a Last-Event-ID older than that
	// is beyond the history (bus.ErrReplayGap).
	HistoryTTL time.Duration
	// MaxMessageBytes is the largest data Publish takes; a larger message
	// fails with bus.ErrTooLarge. 0 means bus.DefaultMaxMessageBytes (1
	// MiB), negative no limit. Redis drops a subscriber connection whose
	// output buffer outgrows client-output-buffer-limit pubsub (32 MB, or 8
	// MB for a minute, by default): the reader then catches up from the
	// stream, so large messages cost a reconnection, not a loss.
	MaxMessageBytes int
	// MaxAge also trims the entries older than MaxAge, from the stream and
	// the histories (XTRIM MINID ~, in the same step as XADD; 0: no age
	// limit).
	MaxAge time.Duration
	// PublishTimeout bounds a publish (default DefaultPublishTimeout, 2 s):
	// a Redis that is down or frozen fails the publish with an error that
	// matches bus.ErrUnavailable (503 with Retry-After for the client)
	// instead of hanging the request. The outcome of a publish that timed
	// out is unknown: Redis may have applied it (the message is then
	// delivered, and a retry publishes it twice).
	PublishTimeout time.Duration
	// Block is how long the reader waits for a live message before it
	// checks its connection with a PING (default DefaultBlock). A connection
	// that stays silent for another Block is replaced.
	Block time.Duration
	// Logger receives the reader's connection problems and recoveries
	// (default slog.Default()).
	Logger *slog.Logger
}

// Hub is a bus.Hub on a Redis stream; see the package documentation for
// the design. Publish runs one script on the stream's node: XADD, whose
// entry id is the message id, then, for each recipient (user, topic, or
// everyone), XADD to its history and SPUBLISH on its channel. One reader
// goroutine per Hub (not per subscriber) holds one connection subscribed to
// the channels of this Hub's subscribers only, and routes what it receives
// to them, as the memory hub does. Replay after a Last-Event-ID reads the
// subscriber's histories; recovery after a lost connection reads the stream.
//
// When Redis restarts or the connection drops, the reader reconnects and
// reads from the stream what it missed: nothing that Redis kept is lost
// (with persistence, everything whose Publish succeeded). Meanwhile Publish
// fails, and subscribers wait.
//
// Publish is not retried by the client after a network error (New sets
// max_retries to -1 unless the URL sets it): such an error leaves it
// unknown whether the message was added, and a blind retry could add it
// twice.
//
// Observers are called from the reader goroutine: one that blocks delays
// delivery to every subscriber of this Hub.
type Hub struct {
	client     redis.UniversalClient
	ownClient  bool
	stream     string
	names      channels
	maxLen     int64
	historyLen int64
	historyTTL time.Duration
	maxData    int // < 0: no limit
	maxAge     time.Duration
	block      time.Duration
	pubTimeout time.Duration
	log        *slog.Logger
	outage     outage // publishes failing for want of Redis

	ctx         context.Context // ends at Close
	cancel      context.CancelFunc
	done        chan struct{} // closed when the reader has returned
	controlDone chan struct{} // closed when the control goroutine has returned
	wake        chan struct{} // the control goroutine has work
	replays     sync.WaitGroup
	live        atomic.Int64 // see Stats
	caughtUp    atomic.Int64
	replayed    atomic.Int64

	// psMu orders what is written on the live connection (subscriptions and
	// barriers), and guards ps, token and subscribed.
	psMu       sync.Mutex
	ps         *redis.PubSub
	token      uint64          // last barrier sent
	subscribed map[string]bool // channels asked for on ps

	mu         sync.Mutex
	closed     bool
	last       streamid.ID // id of the last entry routed
	router     fanout.Router[bus.Message]
	chans      map[string]*channel // channels local subscribers need
	pending    []*channel          // of chans, those not ready yet
	lastAnswer uint64              // last barrier answered
}

var _ bus.Hub = (*Hub)(nil)

// replayBatch is how many entries one XRANGE of a replay or a catch-up reads.
const replayBatch = 1000

// New connects to Redis and starts the Hub's reader after the stream's
// current last entry. ctx bounds the connection attempt.
//
// url names one server, redis://[user:password@]host:port[/db] (see
// redis.ParseURL), or a cluster, redis+cluster://[user:password@]host:port[,host:port…][?options]
// (any of its nodes; options as redis.ParseClusterURL reads them) or just
// host:port,host:port…; rediss for TLS. Close closes the client New made.
func New(ctx context.Context, url string, opts *Options) (*Hub, error) {
	client, err := newClient(url)
	if err != nil {
		return nil, err
	}
	h, err := NewClient(ctx, client, opts)
	if err != nil {
		client.Close()
		return nil, err
	}
	h.ownClient = true
	return h, nil
}

// NewClient is New on a client of the caller's: a *redis.Client (Redis 7
// or later) or a *redis.ClusterClient. The Hub uses it until Close, which
// leaves it open. Set the client's MaxRetries to -1 (see Hub: no blind retry
// of a publish).
func NewClient(ctx context.Context, client redis.UniversalClient, opts *Options) (*Hub, error) {
	if opts == nil {
		opts = &Options{}
	}
	if opts.MaxLen < 0 || opts.HistoryLen < 0 || opts.HistoryTTL < 0 || opts.MaxAge < 0 || opts.Block < 0 {
		panic("redisbus: New: negative MaxLen, HistoryLen, HistoryTTL, MaxAge or Block")
	}
	h := &Hub{
		client:      client,
		stream:      cmp(opts.Stream, DefaultStream),
		maxLen:      cmp(opts.MaxLen, DefaultMaxLen),
		historyLen:  cmp(opts.HistoryLen, DefaultHistoryLen),
		maxData:     cmp(opts.MaxMessageBytes, bus.DefaultMaxMessageBytes),
		historyTTL:  max(cmp(opts.HistoryTTL, DefaultHistoryTTL), time.Millisecond),
		maxAge:      opts.MaxAge,
		block:       cmp(opts.Block, DefaultBlock),
		pubTimeout:  cmp(opts.PublishTimeout, DefaultPublishTimeout),
		log:         opts.Logger,
		done:        make(chan struct{}),
		controlDone: make(chan struct{}),
		wake:        make(chan struct{}, 1),
		subscribed:  map[string]bool{},
		chans:       map[string]*channel{},
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	var err error
	if h.names, err = newChannels(h.stream); err != nil {
		return nil, err
	}
	if h.last, err = h.tail(ctx); err != nil {
		return nil, err
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	go h.read()
	go h.control()
	return h, nil
}

// newClient makes the client that url names (see New).
func newClient(u string) (redis.UniversalClient, error) {
	if !strings.Contains(u, "://") && strings.Contains(u, ",") {
		u = "redis+cluster://" + u // a list of cluster nodes
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if ok && (scheme == "redis+cluster" || scheme == "rediss+cluster") {
		opts, err := redis.ParseClusterURL(clusterURL(strings.TrimSuffix(scheme, "+cluster"), rest))
		if err != nil {
			return nil, fmt.Errorf("redisbus: %w", err)
		}
		if opts.MaxRetries == 0 {
			opts.MaxRetries = -1 // see Hub: no blind retry of a publish
		}
		return redis.NewClusterClient(opts), nil
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		return nil, fmt.Errorf("redisbus: %w", err)
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = -1
	}
	return redis.NewClient(opts), nil
}

// clusterURL rewrites "[user@]h1:p1,h2:p2[/…][?q]" as the URL that
// redis.ParseClusterURL reads: the first node as host, the others as addr
// parameters.
func clusterURL(scheme, rest string) string {
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	userinfo := ""
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, authority = authority[:i+1], authority[i+1:]
	}
	hosts := strings.Split(authority, ",")
	path, query, _ := strings.Cut(tail, "?")
	q := url.Values{}
	for _, h := range hosts[1:] {
		q.Add("addr", h)
	}
	extra := q.Encode()
	switch {
	case query == "":
		query = extra
	case extra != "":
		query += "&" + extra
	}
	out := scheme + "://" + userinfo + hosts[0] + path
	if query != "" {
		out += "?" + query
	}
	return out
}

// cmp returns v, or def when v is zero.
func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// tail returns the id of the stream's last entry, "0-0" if it has none.
func (h *Hub) tail(ctx context.Context) (streamid.ID, error) {
	last, err := h.client.XRevRangeN(ctx, h.stream, "+", "-", 1).Result()
	if err != nil {
		return streamid.ID{}, fmt.Errorf("redisbus: reading stream %q: %w", h.stream, err)
	}
	if len(last) == 0 {
		return streamid.ID{}, nil
	}
	id, err := streamid.Parse(last[0].ID)
	if err != nil {
		return streamid.ID{}, fmt.Errorf("redisbus: stream %q: entry id %q: %w", h.stream, last[0].ID, err)
	}
	return id, nil
}

// Publish adds the message to the stream and sends it to the live channels
// of its recipients; it returns the entry id. Local subscribers get it from
// the reader, like those of other instances.
func (h *Hub) Publish(ctx context.Context, to bus.Address, typ string, data []byte) (string, error) {
	if !to.Valid() {
		return "", bus.ErrAddress
	}
	if typ == bus.MarkType {
		return "", bus.ErrReservedType
	}
	if h.maxData >= 0 && len(data) > h.maxData {
		return "", bus.ErrTooLarge
	}
	if h.ctx.Err() != nil {
		return "", bus.ErrClosed
	}
	if data == nil {
		data = []byte{} // go-redis writes nil as "", keep it explicit
	}
	fields := make([]any, 0, 8)
	fields = append(fields, "d", data)
	if typ != "" {
		fields = append(fields, "y", typ)
	}
	if t := to.Topic(); t != "" {
		fields = append(fields, "t", t)
	}
	if users := to.Users(); len(users) > 0 {
		u, err := json.Marshal(users)
		if err != nil {
			return "", fmt.Errorf("redisbus: publish: %w", err)
		}
		fields = append(fields, "u", u)
	}
	minID := ""
	if h.maxAge > 0 {
		minID = strconv.FormatInt(time.Now().Add(-h.maxAge).UnixMilli(), 10)
	}
	keys := append([]string{h.stream}, h.names.to(to)...)
	args := make([]any, 0, 6+len(fields))
	args = append(args, h.maxLen, minID, encodeLive(typ, to.Topic(), to.Users(), data), len(fields),
		h.historyLen, h.historyTTL.Milliseconds())
	args = append(args, fields...)
	pctx, cancel := context.WithTimeout(ctx, h.pubTimeout)
	defer cancel()
	id, err := publishScript.Run(pctx, h.client, keys, args...).Text()
	if err != nil {
		if h.ctx.Err() != nil {
			return "", bus.ErrClosed
		}
		if ctx.Err() != nil {
			return "", ctx.Err() // the caller gave up (the outcome is unknown)
		}
		if !unavailable(err) {
			return "", fmt.Errorf("redisbus: publish: %w", err)
		}
		h.outage.report(h.log, err)
		return "", fmt.Errorf("redisbus: publish: %w: %w", bus.ErrUnavailable, err)
	}
	h.outage.recovered(h.log)
	return id, nil
}

// Subscribe returns the messages addressed to sub; see bus.Hub. The
// subscription is registered at once. When this Hub has no subscriber of
// sub's user or topics yet, Subscribe first reads the stream's last id (the
// position the subscription starts after), and the reader subscribes to
// their channels; the messages published meanwhile are read from its
// histories. A replay also reads Redis on a goroutine of its own; live
// messages wait in the subscriber's queue.
//
// A start mark (sub.Mark) is the id of an entry of the stream (the position
// after which the subscription receives everything), so that its presence
// proves on resumption that nothing after it was trimmed. On a stream that
// had no entry yet it is "0-0": resuming after "0-0" replays the whole
// stream, and fails with bus.ErrReplayGap once any entry was ever trimmed or
// deleted from it (XINFO STREAM entries-added, Redis 7). Only a stream lost
// as a whole (Redis restarted without persistence) after a "0-0" mark goes
// unnoticed.
func (h *Hub) Subscribe(ctx context.Context, sub bus.Recipient) rx.Observable[*bus.Message] {
	sub.Topics = slices.Clone(sub.Topics) // the caller may reuse its slice
	names := h.names.of(sub)
	return rx.Create(func(s rx.Subscriber[*bus.Message]) func() {
		// after is the client's last id; floor, once known, the last id
		// delivered by replay: live messages up to it are dropped.
		var after, floor streamid.ID
		if sub.LastEventID != "" {
			var err error
			if after, err = streamid.Parse(sub.LastEventID); err != nil {
				s.Error(fmt.Errorf("%w (%q is not a stream id)", bus.ErrReplayGap, sub.LastEventID))
				return nil
			}
		}
		passed := false
		fs := fanout.NewSub(s, sub.User, sub.Topics, func(m *bus.Message) bool {
			if !passed && streamid.MustParse(m.ID).Compare(floor) <= 0 {
				return false
			}
			passed = true
			return true
		})

		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			s.Error(bus.ErrClosed)
			return nil
		}
		// start: everything published after it reaches the subscriber. With
		// every channel in place, the reader's position; else the stream's
		// end, read before registering.
		start := h.last
		fresh := !h.readyAll(names)
		if fresh {
			h.mu.Unlock()
			end, err := h.tail(s.Context())
			if err != nil {
				s.Error(err)
				return nil
			}
			h.mu.Lock()
			if h.closed {
				h.mu.Unlock()
				s.Error(bus.ErrClosed)
				return nil
			}
			start = later(end, h.last)
		}
		h.router.Add(fs)
		waits := h.acquire(names)
		live := h.last // the reader routes what follows
		from := start
		if sub.LastEventID != "" {
			from = after
		}
		work := len(waits) > 0 || from.Compare(live) != 0
		if work {
			h.replays.Add(1)
		}
		h.mu.Unlock()

		stop := completeWhenDone(ctx, s)
		teardown := func() {
			stop()
			h.mu.Lock()
			h.router.Remove(fs)
			h.release(names)
			h.mu.Unlock()
		}
		if !work {
			floor = live
			if sub.Mark {
				s.Next(markMessage(live))
			}
			fs.Drain()
			return teardown
		}
		// reg is where the subscription starts: the client's id if it is
		// ahead; the replay reaches it, the mark stands at it.
		reg := start
		if sub.LastEventID != "" {
			reg = later(after, start)
		}
		go func() {
			defer h.replays.Done()
			defer fs.Drain()
			err := h.replay(s, sub, from, reg, sub.LastEventID != "")
			if h.ctx.Err() != nil { // the replay may be cut short: no mark
				return
			}
			if err != nil {
				s.Error(err)
				return
			}
			if sub.Mark {
				s.Next(markMessage(reg))
			}
			floor = reg
			if len(waits) == 0 {
				return
			}
			// Once the channels are in place, what follows the stream's end
			// arrives live: read up to that end.
			for _, w := range waits {
				select {
				case <-w:
				case <-s.Context().Done():
					return
				case <-h.ctx.Done():
					return
				}
			}
			end, err := h.tail(s.Context())
			if err == nil {
				err = h.replay(s, sub, reg, end, false)
			}
			if h.ctx.Err() != nil {
				return
			}
			if err != nil {
				s.Error(err)
				return
			}
			floor = later(reg, end)
		}()
		return teardown
	})
}

// Subscribers returns the number of subscriptions registered on this Hub.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.router.Len()
}

// Close stops the reader, ends every subscription of this Hub (their
// streams complete), and closes the connections to Redis (the client too,
// if New made it). Later calls fail with bus.ErrClosed. Close waits for the
// reader, so it must not be called from an observer of this Hub's streams.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	claimed := h.router.EndAll(nil)
	h.mu.Unlock()

	h.cancel()
	h.disconnect() // wakes the reader
	<-h.done
	<-h.controlDone
	h.disconnect()   // in case the reader connected again meanwhile
	h.replays.Wait() // they stop after their current read
	var err error
	if h.ownClient {
		err = h.client.Close()
	}
	fanout.Drain(claimed)
	if err != nil {
		return fmt.Errorf("redisbus: close: %w", err)
	}
	return nil
}

// later returns the later of a and b.
func later(a, b streamid.ID) streamid.ID {
	if a.Compare(b) < 0 {
		return b
	}
	return a
}

// completeWhenDone completes s when ctx ends, until stop is called.
func completeWhenDone[T any](ctx context.Context, s rx.Subscriber[T]) (stop func()) {
	if ctx.Done() == nil {
		return func() {}
	}
	unregister := context.AfterFunc(ctx, s.Complete)
	return func() { unregister() }
}

// Stats counts what a Hub has read from Redis.
type Stats struct {
	// Live is the number of live copies received: one per message sent on
	// a channel this Hub listens to (a message to several users arrives
	// once per user it has), broadcasts included.
	Live int64
	// CaughtUp is the number of stream entries read after reconnecting, to
	// find what the live connection missed (every recipient's).
	CaughtUp int64
	// Replayed is the number of history entries read for subscriptions:
	// replays after a Last-Event-ID, and the messages published while a
	// new subscription's channels were being set up (the subscriber's own
	// histories; after "0-0", the whole stream).
	Replayed int64
}

// Stats returns what this Hub has read from Redis so far: the measure of
// what an instance reads, against what all instances publish.
func (h *Hub) Stats() Stats {
	return Stats{Live: h.live.Load(), CaughtUp: h.caughtUp.Load(), Replayed: h.replayed.Load()}
}
