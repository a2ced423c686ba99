package location

import (
	"context"
	"embed"
	"net/http"
	"sync"

	"github.com/rxsse/rxsse/controller"
	"github.com/rxsse/rxsse/rx"
)

// MaxPositions is how many positions the list keeps (the latest ones).
const MaxPositions = 100

// Position is one posted position.
type Position struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// AddInput is the JSON body of POST /location: both fields are required
// numbers (pointers, so that 0 counts as present).
type AddInput struct {
	X *float64 `json:"x" validate:"required"`
	Y *float64 `json:"y" validate:"required"`
}

// Controller serves POST /location and GET /location/sse. Mount it at
// "/location". Its list lives as long as the Controller.
type Controller struct {
	mu        sync.Mutex // orders the read-modify-emit of positions
	positions *rx.Subject[[]Position]
}

// NewController returns a Controller with an empty list.
func NewController() *Controller {
	return &Controller{positions: rx.NewBehaviorSubject([]Position{})}
}

// Routes registers the two routes, like @Controller('location').
func (c *Controller) Routes(r *controller.Router) {
	controller.Post(r, "POST /", c.Add)
	controller.SSE(r, "GET /sse", c.Stream, controller.Describe(controller.RouteDoc{
		Summary: "The positions, newest first: now, then after every post",
	}))
}

// Add puts a position at the head of the list and answers "ok".
func (c *Controller) Add(ctx context.Context, in *AddInput) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, _ := c.positions.Value()
	// A new slice every time: subscribers may still be encoding the old one.
	list := make([]Position, 0, min(len(old)+1, MaxPositions))
	list = append(list, Position{X: *in.X, Y: *in.Y})
	list = append(list, old[:min(len(old), MaxPositions-1)]...)
	c.positions.Next(list)
	return "ok", nil
}

// Stream sends the current list, then the list after every post.
func (c *Controller) Stream(ctx context.Context, _ *struct{}) (rx.Observable[[]Position], error) {
	return c.positions.AsObservable(), nil
}

// Positions returns the current list, newest first.
func (c *Controller) Positions() []Position {
	list, _ := c.positions.Value()
	return list
}

//go:embed page.html
var pageFS embed.FS

// Page serves the example's page: click the board to post a position.
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, pageFS, "page.html")
	})
}
