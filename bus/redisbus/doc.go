// Package redisbus is the bus.Hub of many instances, on Redis 7 or later,
// a single server or a Redis Cluster (github.com/redis/go-redis/v9).
//
//	hub, err := redisbus.New(ctx, "redis://127.0.0.1:6379/0", nil)
//	// or, on a cluster: "redis+cluster://10.0.0.1:6379,10.0.0.2:6379"
//	if err != nil {
//		return err
//	}
//	defer hub.Close()
//	hub.Publish(ctx, bus.ToUser("ann"), "notice", []byte(`{"text":"hi"}`))
//
// # Design: one ordered stream, a history and a channel per recipient
//
// A bus is one Redis stream (Options.Stream), and for each recipient (a
// user, a topic, and "everyone" for broadcasts) a history stream and a
// sharded Pub/Sub channel of the same name: "{tag}:u:ann", "{tag}:t:news",
// "{tag}:a". Every name carries the stream's hash tag, so on a cluster they
// all live in one slot, on one node.
//
// Publish runs one script on that node: XADD to the bus's stream (trimmed
// to MaxLen and MaxAge), whose entry id is the message id; then, for each
// recipient, XADD of the same entry under the same id to its history
// (trimmed to HistoryLen, expiring HistoryTTL after its last message), and
// SPUBLISH of "<id> <message>" on its channel. Redis runs scripts one at a
// time, so ids increase in every history, the live copies leave in id
// order, and none leaves for an entry that was not added.
//
// Each Hub holds one live connection to that node (SSUBSCRIBE), subscribed
// to the broadcast channel and to the channel of each user and topic that
// has a subscriber on this Hub, and nothing else: an instance receives the
// messages addressed to its own clients, plus broadcasts. With K instances
// and per-user traffic, each reads about 1/K of the messages
// (TestClusterScaleOut counts it with Hub.Stats), where a shared stream read
// by every instance costs each of them all of it. The Hub routes what it
// receives to its local subscribers as the memory hub does. A message to
// several users that are on one Hub arrives once per such user: the copies
// after the first are dropped by id.
//
// # Ids, replay, and what a client moving between instances sees
//
// The message id is the bus's stream entry id: one order for the whole bus,
// whichever instance published, so a Last-Event-ID means the same on every
// instance. A subscription with a Last-Event-ID reads, after that id, the
// histories of its recipients (the broadcasts', its user's, its topics'),
// merges them by id, checks that none was trimmed past the id (else
// bus.ErrReplayGap, never a silent jump), then continues live: a client that
// reconnects to another instance gets exactly what it missed, then the live
// messages, with no gap and no duplicate, as on one instance, and the
// instance reads that client's messages only, not all the traffic since its
// id. An id older than HistoryTTL, or after the last id the bus's stream
// ever gave (the stream was lost), is a gap too. Start marks are stream ids
// (see Hub.Subscribe); after "0-0", the mark of a stream that had no entry,
// the bus's stream itself is replayed, as long as it never lost an entry.
//
// A subscription whose user or topic has no subscriber on this Hub yet
// starts after the stream's end (read before registering it); the reader
// subscribes to its channels and follows with a PING: once the answer is
// back, the channels deliver, and the subscription reads from its histories
// what was published in between. After the live connection fails (Redis
// restarted, network cut, or the server dropped a reader that fell behind
// its Pub/Sub output buffer), the reader reconnects, subscribes again and
// reads from the bus's stream everything after the last entry it had
// routed, before going live again: Pub/Sub may drop, the stream does not.
// When idle, it checks the connection every Options.Block with a PING,
// which also moves its position to the stream's end, so that a catch-up
// reads little.
//
// # Trade-offs and limits
//
// One bus is one order, so one node: its write rate is what one Redis node
// runs of the publish script (see the README for the figures measured).
// A cluster spreads buses, not one bus: give independent parts of an
// application (tenants, regions, or users by a hash of their id) buses of
// their own, with different hash tags ("{bus-7}:events"), and the cluster
// spreads them over its nodes. Splitting one bus over several nodes was
// rejected: a subscriber receives from its user, its topics and the
// broadcasts, which would live on different nodes, and one ordered
// Last-Event-ID over several nodes would need either a hold-back merge with
// watermarks (latency, and a protocol between instances) or one id per
// node, which a single SSE id cannot carry.
//
// Every message is written twice or more (the bus's stream and each
// recipient's history): a message to many users costs a history entry per
// user, as it costs a live copy per user. Histories are bounded by count
// and expire when idle, so their memory follows the active recipients.
// The catch-up after a lost connection reads every recipient's entries
// since the reader's position (XRANGE cannot filter): a reconnection costs
// the traffic of the outage, once per instance.
//
// # Persistence and failures
//
// Recommended: appendonly yes with appendfsync always on the nodes of the
// buses, and, on a cluster, cluster-require-full-coverage no. What that
// promises without replicas (TestClusterNodeRestart kills and restarts the
// bus's node mid-flow): while the node is down, Publish fails (nothing is
// acknowledged) and subscribers wait; once it is back, every message whose
// Publish succeeded is delivered to each of its subscribers once, in id
// order, on every instance. Killing another node does not stop the bus. With
// appendfsync everysec the acknowledged messages of the last second or two
// before a crash may be lost (those never arrive; later ones do, with greater
// ids, and a client whose Last-Event-ID was lost gets bus.ErrReplayGap until
// a later message is published).
// Replicas do not change this: replication is asynchronous, so a failover can
// lose the last acknowledged messages in the same way.
//
// A publish whose reply is lost (the connection broke after the command was
// sent) fails without knowing whether the message was added: a single
// server's client does not retry it (New sets max_retries -1), so it is
// added at most once; a cluster client (go-redis) retries a command on
// another attempt after a network error, so such a publish may be added
// twice, with two ids.
package redisbus
