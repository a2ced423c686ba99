package redisbus_test

import (
	"context"
	"log"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
	"github.com/rxsse/rxsse/rx"
)

// Two instances of an app share one stream: what one publishes, the other's
// subscribers receive. (Not run: it needs a Redis server.)
func Example() {
	ctx := context.Background()
	url := "redis://127.0.0.1:6379/0"
	a, err := redisbus.New(ctx, url, &redisbus.Options{Stream: "app:bus"})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	b, err := redisbus.New(ctx, url, &redisbus.Options{Stream: "app:bus"})
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()

	got := make(chan *bus.Message, 1)
	s := b.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) { got <- m },
	})
	defer s.Unsubscribe()
	if _, err := a.Publish(ctx, bus.ToUser("ann"), "notice", []byte(`{"text":"hi"}`)); err != nil {
		log.Fatal(err)
	}
	m := <-got
	log.Printf("%s %s %s", m.ID, m.Type, m.Data)
}
