package bus_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/rx"
)

func Example() {
	ctx := context.Background()
	hub := bus.NewMemory(nil)
	defer hub.Close()

	// Two connections: user "ann", and an anonymous one following "news".
	print := func(who string) rx.Observer[*bus.Message] {
		return rx.ObserverFuncs[*bus.Message]{OnNext: func(m *bus.Message) {
			fmt.Printf("%s got %s\n", who, m.Data)
		}}
	}
	ann := hub.Subscribe(ctx, bus.Recipient{User: "ann"}).Subscribe(ctx, print("ann"))
	defer ann.Unsubscribe()
	anon := hub.Subscribe(ctx, bus.Recipient{Topics: []string{"news"}}).Subscribe(ctx, print("anon"))
	defer anon.Unsubscribe()

	hub.Publish(ctx, bus.ToAll(), "", []byte("hello all"))
	hub.Publish(ctx, bus.ToUser("ann"), "", []byte("hello ann"))
	hub.Publish(ctx, bus.ToTopic("news"), "", []byte("news!"))
	// Output:
	// ann got hello all
	// anon got hello all
	// ann got hello ann
	// anon got news!
}

// A client that reconnects with the id of the last message it saw gets what
// it missed, then the live messages.
func ExampleMemory_Subscribe_lastEventID() {
	ctx := context.Background()
	hub := bus.NewMemory(&bus.MemoryOptions{History: 100})
	defer hub.Close()

	first, _ := hub.Publish(ctx, bus.ToAll(), "", []byte("one"))
	hub.Publish(ctx, bus.ToAll(), "", []byte("two"))
	hub.Publish(ctx, bus.ToAll(), "", []byte("three"))

	stream := hub.Subscribe(ctx, bus.Recipient{LastEventID: first})
	sub := stream.Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) { fmt.Printf("%s\n", m.Data) },
	})
	defer sub.Unsubscribe()
	hub.Publish(ctx, bus.ToAll(), "", []byte("four"))
	// Output:
	// two
	// three
	// four
}

func ExampleNewTopic() {
	ctx := context.Background()
	hub := bus.NewMemory(nil)
	defer hub.Close()

	type Price struct {
		Symbol string  `json:"symbol"`
		Value  float64 `json:"value"`
	}
	prices := bus.NewTopic[Price](hub, "prices")
	sub := prices.Subscribe(ctx, bus.Recipient{}).Subscribe(ctx, rx.ObserverFuncs[bus.Typed[Price]]{
		OnNext: func(p bus.Typed[Price]) { fmt.Println(p.Value.Symbol, p.Value.Value) },
	})
	defer sub.Unsubscribe()
	prices.Publish(ctx, Price{Symbol: "ACME", Value: 12.5})
	// Output:
	// ACME 12.5
}

func ExampleForUser() {
	ctx := context.Background()
	msgs := rx.Of(
		&bus.Message{Users: []string{"ann"}, Data: []byte("for ann")},
		&bus.Message{Users: []string{"bob"}, Data: []byte("for bob")},
		&bus.Message{Data: []byte("for everyone")},
	)
	rx.ForEach(ctx, bus.ForUser(msgs, "ann"), func(m *bus.Message) { fmt.Printf("%s\n", m.Data) })
	// Output:
	// for ann
	// for everyone
}

// A client whose Last-Event-ID is older than the history cannot be given what
// it missed. Here the handler catches ErrReplayGap and starts the client
// afresh, with a "reset" event telling it to reload its state.
func ExampleErrReplayGap() {
	ctx := context.Background()
	hub := bus.NewMemory(&bus.MemoryOptions{History: 2})
	defer hub.Close()
	old, _ := hub.Publish(ctx, bus.ToAll(), "", []byte("one"))
	hub.Publish(ctx, bus.ToAll(), "", []byte("two"))
	hub.Publish(ctx, bus.ToAll(), "", []byte("three"))
	hub.Publish(ctx, bus.ToAll(), "", []byte("four")) // "two" is out of the history

	sub := bus.Recipient{User: "ann", LastEventID: old}
	stream := rx.CatchError(hub.Subscribe(ctx, sub), func(err error) rx.Observable[*bus.Message] {
		if !errors.Is(err, bus.ErrReplayGap) {
			return rx.Throw[*bus.Message](err)
		}
		sub.LastEventID = ""
		return rx.StartWith(hub.Subscribe(ctx, sub), &bus.Message{Type: "reset"})
	})
	s := stream.Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) { fmt.Printf("type %q data %q\n", m.Type, m.Data) },
	})
	defer s.Unsubscribe()
	hub.Publish(ctx, bus.ToAll(), "", []byte("five"))
	// Output:
	// type "reset" data ""
	// type "" data "five"
}

// A start mark gives a connection a position before its first message: a
// client that reconnects with it gets what was published meanwhile.
func ExampleSubscription_mark() {
	ctx := context.Background()
	hub := bus.NewMemory(nil)
	defer hub.Close()
	print := rx.ObserverFuncs[*bus.Message]{OnNext: func(m *bus.Message) {
		if m.IsMark() {
			fmt.Println("mark")
			return
		}
		fmt.Printf("%s\n", m.Data)
	}}

	var mark string
	first := hub.Subscribe(ctx, bus.Recipient{User: "ann", Mark: true}).Subscribe(ctx, rx.ObserverFuncs[*bus.Message]{
		OnNext: func(m *bus.Message) { mark = m.ID }, // the welcome event's id
	})
	first.Unsubscribe() // disconnected before any message
	hub.Publish(ctx, bus.ToUser("ann"), "", []byte("sent meanwhile"))

	again := hub.Subscribe(ctx, bus.Recipient{User: "ann", LastEventID: mark, Mark: true}).Subscribe(ctx, print)
	defer again.Unsubscribe()
	hub.Publish(ctx, bus.ToUser("ann"), "", []byte("live"))
	// Output:
	// sent meanwhile
	// mark
	// live
}
