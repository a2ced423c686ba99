package notify

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"net/http"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

const (
	// Count is how many events the stream sends before it completes.
	Count = 200
	// CustomEvery says which events are also sent as a customEvent: every
	// CustomEvery-th.
	CustomEvery = 50
	// CustomEvent is the type of those events.
	CustomEvent = "customEvent"
)

// Controller serves GET /notify/stream. Mount it at "/notify".
type Controller struct {
	// Period is the time between two events: 200 ms when zero (tests
	// shorten it).
	Period time.Duration
}

// Routes registers GET /stream, like @Controller('notify') with
// @Sse('stream').
func (c *Controller) Routes(r *controller.Router) {
	controller.SSE(r, "GET /stream", c.Stream, controller.Describe(controller.RouteDoc{
		Summary: "Count events, then the stream completes",
		Events: []controller.EventDoc{
			{Data: "", Description: "The n-th text."},
			{Type: CustomEvent, Data: "", Description: "Every CustomEvery-th text again."},
		},
	}))
}

// Text is the data of the n-th event (n from 1).
func Text(n int) string { return fmt.Sprintf("这是第%d次发送的SSE数据", n) }

// Stream emits Count events, one every Period, then completes.
func (c *Controller) Stream(ctx context.Context, _ *struct{}) (rx.Observable[sse.MessageEvent], error) {
	return rx.ConcatMap(rx.Take(rx.Interval(cmp.Or(c.Period, 200*time.Millisecond)), Count), func(count int) rx.Observable[sse.MessageEvent] {
		msg := sse.MessageEvent{Data: Text(count + 1)}
		if (count+1)%CustomEvery == 0 {
			return rx.Of(msg, sse.MessageEvent{Type: CustomEvent, Data: msg.Data})
		}
		return rx.Of(msg)
	}), nil
}

//go:embed page.html
var pageFS embed.FS

// Page serves the seed's page: a connect/disconnect toggle and the history
// of what was pushed.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, pageFS, "page.html")
	})
}
