package hello

import (
	"cmp"
	"context"
	"embed"
	"net/http"
	"time"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

// Controller serves GET /sse. Mount it at the root.
type Controller struct {
	// Period is the time between two events: one second when zero (tests
	// shorten it).
	Period time.Duration
}

// Greeting is the data of each event.
type Greeting struct {
	Hello string `json:"hello"`
}

// Routes registers GET /sse.
func (c *Controller) Routes(r *controller.Router) {
	controller.SSE(r, "GET /sse", c.Stream, controller.Describe(controller.RouteDoc{
		Summary: `{"hello":"world"} every second, forever`,
		Events:  []controller.EventDoc{{Data: Greeting{}}},
	}))
}

// Stream emits {"hello":"world"} every Period and never completes; the
// framework ends it when the client goes away. A value that is not an
// sse.MessageEvent is the data of its event, as in Nest.
func (c *Controller) Stream(ctx context.Context, _ *struct{}) (rx.Observable[Greeting], error) {
	return rx.Map(rx.Interval(cmp.Or(c.Period, time.Second)), func(int) Greeting { return Greeting{Hello: "world"} }), nil
}

//go:embed page.html
var pageFS embed.FS

// Page serves the example's page: a list that grows with every event.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, pageFS, "page.html")
	})
}
