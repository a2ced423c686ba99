package inbox_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/internal/testenv"
	"github.com/rxsse/rxsse/sse/ssetest"
)

// A connection that drops after the welcome, before any message, reconnects
// with the welcome's id as its Last-Event-ID: it gets every message sent to
// it meanwhile, exactly once, then the live ones. The bus has carried no
// message before the first connection (the welcome's id is the bus's
// start), on the memory hub and on Redis.
func TestReconnectAfterWelcome(t *testing.T) {
	t.Run("memory", func(t *testing.T) { reconnectAfterWelcome(t, newHub(t)) })
	t.Run("redis", func(t *testing.T) { reconnectAfterWelcome(t, newRedisHub(t)) })
}

func reconnectAfterWelcome(t *testing.T, hub bus.Hub) {
	srv := server(t, hub)
	s := ssetest.Connect(t, srv.URL+"/push?uid=1")
	welcome := s.NextN(1)[0]
	if welcome.Data != "站内信链接成功!" || welcome.LastEventID == "" {
		t.Fatalf("welcome %+v, want an id", welcome)
	}
	s.Close()
	srv.WaitStreams(t, "/push", 0) // disconnected: nothing is delivered live

	update(t, srv, `{"uid":"1","msg":"m1"}`)
	update(t, srv, `{"uid":"2","msg":"not for 1"}`)
	update(t, srv, `{"msg":"m2","isAll":true}`)

	s = ssetest.Connect(t, srv.URL+"/push?uid=1", "Last-Event-ID", welcome.LastEventID)
	got := s.NextN(3)
	update(t, srv, `{"uid":"1","msg":"m3"}`)
	got = append(got, s.NextN(1)...)
	want := []string{"站内信链接成功!", `{"msg":"1的消息>>m1","uid":"1"}`, `{"msg":"给所有人的消息>>m2"}`, `{"msg":"1的消息>>m3","uid":"1"}`}
	if !slices.Equal(data(got), want) {
		t.Fatalf("after reconnecting with the welcome's id: %q, want %q", data(got), want)
	}
	if got[0].LastEventID != welcome.LastEventID {
		t.Errorf("welcome of the reconnection has id %q, want %q kept", got[0].LastEventID, welcome.LastEventID)
	}
	ids := []string{got[1].LastEventID, got[2].LastEventID, got[3].LastEventID}
	if ids[0] == "" || ids[0] == welcome.LastEventID || ids[1] == ids[0] || ids[2] == ids[1] {
		t.Errorf("message ids %q (welcome %q): want distinct bus ids", ids, welcome.LastEventID)
	}
}

var streams atomic.Int64

// newRedisHub returns a Redis hub on a stream of the test's own, deleted at
// the end.
func newRedisHub(t *testing.T) bus.Hub {
	url := testenv.RedisURL(t)
	key := fmt.Sprintf("rxsse:test:inbox:%s:%d:%d", t.Name(), time.Now().UnixNano(), streams.Add(1))
	hub, err := redisbus.New(t.Context(), url, &redisbus.Options{Stream: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		hub.Close()
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Error(err)
			return
		}
		c := redis.NewClient(opts)
		defer c.Close()
		c.Del(context.Background(), key)
	})
	return hub
}
