package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/rxsse/rxsse/examples/notify"
	"github.com/rxsse/rxsse/rx"
)

// The 50th message is followed by a customEvent with the same data.
func ExampleController_Stream() {
	c := &notify.Controller{Period: time.Microsecond}
	stream, _ := c.Stream(context.Background(), nil)
	events, _ := rx.Collect(context.Background(), stream)
	fmt.Println(len(events), "events")
	for _, ev := range events[49:52] {
		fmt.Printf("%q %s\n", ev.Type, ev.Data)
	}
	// Output:
	// 204 events
	// "" 这是第50次发送的SSE数据
	// "customEvent" 这是第50次发送的SSE数据
	// "" 这是第51次发送的SSE数据
}
