package inbox_test

import (
	"context"
	"fmt"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/examples/inbox"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// User 1's stream: the welcome, then what is sent to user 1 or to everyone.
func ExampleController() {
	hub := bus.NewMemory(nil)
	defer hub.Close()
	c := &inbox.Controller{Hub: hub}
	ctx := context.Background()

	stream, _ := c.Push(ctx, &inbox.PushQuery{UID: "1"})
	sub := stream.Subscribe(ctx, rx.ObserverFuncs[sse.MessageEvent]{
		OnNext: func(ev sse.MessageEvent) { fmt.Println(ev.Data) },
	})
	defer sub.Unsubscribe()
	c.Update(ctx, &inbox.UpdateInput{UID: "1", Msg: "hi"})
	c.Update(ctx, &inbox.UpdateInput{UID: "2", Msg: "not for 1"})
	c.Update(ctx, &inbox.UpdateInput{Msg: "hello", IsAll: true})
	// Output:
	// 站内信链接成功!
	// {"msg":"1的消息>>hi","uid":"1"}
	// {"msg":"给所有人的消息>>hello"}
}
