// Package redisbus is the bus.Hub of many instances, on a Redis stream
// (github.com/redis/go-redis/v9).
//
// Every instance opens its Hub on the same stream. Publish appends an entry
// (XADD, bounded with MAXLEN ~), and the entry id is the message id, so ids
// are ordered across instances and a client may resume on any instance with
// its Last-Event-ID. Each Hub runs one reader (XREAD), however many
// subscribers it has, and routes what it reads to its local subscribers by
// user and topic; replay reads the stream (XRANGE). The reader reconnects
// after Redis restarts or the network drops, and resumes after the last
// entry it read.
//
//	hub, err := redisbus.New(ctx, "redis://127.0.0.1:6379/0", nil)
//	if err != nil {
//		return err
//	}
//	defer hub.Close()
//	hub.Publish(ctx, bus.User("ann"), "notice", []byte(`{"text":"hi"}`))
package redisbus
