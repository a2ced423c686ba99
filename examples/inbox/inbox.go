package inbox

import (
	"context"
	"embed"
	"errors"
	"net/http"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

const (
	// Welcome is the data of the first event of every connection.
	Welcome = "站内信链接成功!"
	// Resumed replaces the missed messages when the bus can no longer
	// replay them (the Last-Event-ID is too old, or from before a restart of
	// an in-memory bus): the client should reload what it shows.
	Resumed = "站内信已重新连接,断开期间的消息无法补发"
)

// PushQuery is the input of GET /push.
type PushQuery struct {
	UID string `query:"uid" validate:"required"`
}

// UpdateInput is the JSON body of POST /update: uid is required unless the
// message is for everyone.
type UpdateInput struct {
	UID   string `json:"uid" validate:"required_without=IsAll"`
	Msg   string `json:"msg" validate:"required"`
	IsAll bool   `json:"isAll"`
}

// UpdateResult is the answer of POST /update.
type UpdateResult struct {
	Code int `json:"code"`
}

// Payload is the data of a pushed message.
type Payload struct {
	Msg string `json:"msg"`
	UID string `json:"uid,omitempty"`
}

// Controller serves GET /push and POST /update. Mount it at the root.
type Controller struct {
	Hub bus.Hub
}

// Routes registers the two routes.
func (c *Controller) Routes(r *controller.Router) {
	controller.SSE(r, "GET /push", c.Push, controller.Describe(controller.RouteDoc{
		Summary: "The messages of one user, resumable with Last-Event-ID",
		Events: []controller.EventDoc{
			{Data: "", Description: "First, the welcome (or, after a replay gap, the notice that missed messages are lost)."},
			{Data: Payload{}, Description: "A message for this user or for everyone."},
		},
	}))
	controller.Post(r, "POST /update", c.Update, controller.Status(http.StatusOK)) // Express's res.send
}

// Push streams the messages of one user: the welcome, then (after a
// reconnection) the missed ones, then the live ones.
//
// Every event carries an id that the client can resume after: a message
// its bus id; the welcome of a first connection the bus's start mark (the
// position its live feed starts after), so that a connection that drops
// before its first message still resumes without losing what was sent
// meanwhile; the welcome of a reconnection the client's Last-Event-ID. (An
// event without an id would get an automatic per-connection id, which the
// browser would send back as its Last-Event-ID.)
func (c *Controller) Push(ctx context.Context, in *PushQuery) (rx.Observable[sse.MessageEvent], error) {
	feed := c.feed(ctx, in.UID, controller.LastEventID(ctx), Welcome)
	return rx.CatchError(feed, func(err error) rx.Observable[sse.MessageEvent] {
		if errors.Is(err, bus.ErrReplayGap) { // say so, forget the stale id, go on live
			return c.feed(ctx, in.UID, "", Resumed)
		}
		return rx.Throw[sse.MessageEvent](err)
	}), nil
}

// feed streams the messages of user after last, after a first event with
// data first, whose id is last, or the bus's start mark on a first
// connection.
func (c *Controller) feed(ctx context.Context, user, last, first string) rx.Observable[sse.MessageEvent] {
	msgs := c.Hub.Subscribe(ctx, bus.Recipient{User: user, LastEventID: last, Mark: last == ""})
	if last != "" {
		return rx.StartWith(rx.Map(msgs, (*bus.Message).Event), sse.MessageEvent{Data: first, ID: &last})
	}
	return rx.Map(msgs, func(m *bus.Message) sse.MessageEvent {
		if m.IsMark() {
			return sse.MessageEvent{Data: first, ID: &m.ID}
		}
		return m.Event()
	})
}

// Update pushes a message to one user, or to everyone with isAll, and
// answers {"code":0} as the seed does (200, like Express's res.send).
func (c *Controller) Update(ctx context.Context, in *UpdateInput) (UpdateResult, error) {
	to, p := bus.ToUser(in.UID), Payload{Msg: in.UID + "的消息>>" + in.Msg, UID: in.UID}
	if in.IsAll {
		to, p = bus.ToAll(), Payload{Msg: "给所有人的消息>>" + in.Msg, UID: in.UID}
	}
	_, err := bus.PublishJSON(ctx, c.Hub, to, "", p)
	return UpdateResult{Code: 0}, err
}

//go:embed page.html
var pageFS embed.FS

// Page serves the example's page: connect as a uid, send to a uid or to
// everyone.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, pageFS, "page.html")
	})
}
