package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
)

// redisHubs returns a function that connects a new hub to a Redis stream of
// this test's own, deleted at the end.
func redisHubs(t *testing.T) func() *redisbus.Hub {
	url := testenv.RedisURL(t)
	key := fmt.Sprintf("rxsse:test:client:%s:%d", t.Name(), time.Now().UnixNano())
	t.Cleanup(func() {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Error(err)
			return
		}
		c := redis.NewClient(opts)
		defer c.Close()
		c.Del(context.Background(), key)
	})
	return func() *redisbus.Hub {
		hub, err := redisbus.New(context.Background(), url, &redisbus.Options{Stream: key, Block: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { hub.Close() })
		return hub
	}
}

func TestRedisResumeAfterDrop(t *testing.T) {
	t.Parallel()
	newHub := redisHubs(t)
	hub := newHub()
	resumeScenario(t, hub, newHub(), func(s *server, missed func()) {
		s.drop()
		waitSubscribers(t, hub, 0)
		missed()
	})
}

// The server restarts as a new instance (a new hub on the same stream);
// what was published meanwhile, through another instance, is replayed from
// Redis.
func TestRedisResumeAfterRestart(t *testing.T) {
	t.Parallel()
	newHub := redisHubs(t)
	resumeScenario(t, newHub(), newHub(), func(s *server, missed func()) {
		s.stop()
		s.currentHub().Close()
		missed()
		s.mu.Lock()
		s.hub = newHub()
		s.mu.Unlock()
		time.Sleep(150 * time.Millisecond) // attempts fail meanwhile
		s.start()
	})
}
