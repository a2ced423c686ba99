package hello_test

import (
	"context"
	"fmt"
	"time"

	"github.com/rxsse/rxsse/examples/hello"
	"github.com/rxsse/rxsse/rx"
)

// The stream is a plain rx.Observable: take three events of it.
func ExampleController_Stream() {
	c := &hello.Controller{Period: time.Millisecond}
	stream, _ := c.Stream(context.Background(), nil)
	events, _ := rx.Collect(context.Background(), rx.Take(stream, 3))
	for _, ev := range events {
		fmt.Printf("%+v\n", ev)
	}
	// Output:
	// {Hello:world}
	// {Hello:world}
	// {Hello:world}
}
