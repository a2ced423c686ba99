package messages

import (
	"context"
	"embed"
	"errors"
	"net/http"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// Topic is the bus topic the messages travel on.
const Topic = "messages"

// Message is a posted message. Its ID is the bus id: the answer to the
// post carries it, and the event that carries the message to the others has
// it as its SSE id (the event's data is the message as published, without
// it, so that it is encoded once for every connection).
type Message struct {
	ID        string    `json:"id,omitempty"`
	Author    string    `json:"author"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"createdAt"`
}

// LoginInput is the JSON body of POST /auth/login.
type LoginInput struct {
	Username string `json:"username" validate:"required"`
	Password string `json:"password" validate:"required"`
}

// LoginResult is the answer of POST /auth/login.
type LoginResult struct {
	AccessToken string `json:"access_token"`
}

// CreateMessageInput is the JSON body of POST /messages.
type CreateMessageInput struct {
	Content string `json:"content" validate:"required,max=1000"`
}

// AuthController serves POST /auth/login. Mount it at "/auth".
type AuthController struct {
	Auth *Auth
}

// Routes registers POST /login.
func (c *AuthController) Routes(r *controller.Router) {
	controller.Post(r, "POST /login", c.Login, controller.Status(http.StatusOK))
}

// Login answers a token for a right username and password (200, as Nest's
// authentication recipe does with @HttpCode(HttpStatus.OK)), 401 otherwise.
func (c *AuthController) Login(ctx context.Context, in *LoginInput) (LoginResult, error) {
	token, err := c.Auth.Login(in.Username, in.Password)
	if err != nil {
		return LoginResult{}, controller.Unauthorized("wrong username or password")
	}
	return LoginResult{AccessToken: token}, nil
}

// Controller serves GET /sse/event and POST /messages. Mount it at the root.
type Controller struct {
	auth  *Auth
	topic *bus.Topic[Message]
}

// NewController returns a Controller publishing on hub's Topic and checking
// tokens with auth.
func NewController(hub bus.Hub, auth *Auth) *Controller {
	return &Controller{auth: auth, topic: bus.NewTopic[Message](hub, Topic)}
}

// Routes registers the two routes, both behind the bearer guard.
func (c *Controller) Routes(r *controller.Router) {
	guard := controller.BearerGuard(c.checkToken, &controller.BearerOptions{Query: "access_token"})
	controller.SSE(r, "GET /sse/event", c.Events, controller.Guards(guard), controller.Describe(controller.RouteDoc{
		Summary: "The messages of the other users, resumable with Last-Event-ID",
		Events:  []controller.EventDoc{{Data: Message{}}},
	}))
	controller.Post(r, "POST /messages", c.Create, controller.Guards(guard))
}

// checkToken is the guard's check: the token's user. An error makes the
// guard answer 401 {"message":"Unauthorized","statusCode":401}, the error
// kept for the logs only.
func (c *Controller) checkToken(ctx context.Context, token string) (any, error) {
	return c.auth.Verify(token)
}

// Events streams the messages of every other user, resuming after
// Last-Event-ID when the bus still has them.
func (c *Controller) Events(ctx context.Context, _ *struct{}) (rx.Observable[sse.MessageEvent], error) {
	me, _ := controller.User[string](ctx)
	last := controller.LastEventID(ctx)
	subscribe := func(last string) rx.Observable[sse.MessageEvent] {
		others := rx.Filter(c.topic.Subscribe(ctx, bus.Recipient{User: me, LastEventID: last}),
			func(m bus.Typed[Message]) bool { return m.Value.Author != me })
		// Each message as it was published: encoded once for every
		// connection it goes to, its bus id as the event id.
		return rx.Map(others, bus.Typed[Message].Event)
	}
	return rx.CatchError(subscribe(last), func(err error) rx.Observable[sse.MessageEvent] {
		if last != "" && errors.Is(err, bus.ErrReplayGap) {
			return subscribe("") // too old to replay: go on with the live ones
		}
		return rx.Throw[sse.MessageEvent](err)
	}), nil
}

// Create publishes a message from the logged-in user and answers it (201).
func (c *Controller) Create(ctx context.Context, in *CreateMessageInput) (Message, error) {
	me, _ := controller.User[string](ctx)
	m := Message{Author: me, Content: in.Content, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	id, err := c.topic.Publish(ctx, m)
	if err != nil {
		return Message{}, err
	}
	m.ID = id
	return m, nil
}

//go:embed page.html
var pageFS embed.FS

// Page serves the example's page: log in, post, see the others' messages
// pop up.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, pageFS, "page.html")
	})
}
