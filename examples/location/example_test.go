package location_test

import (
	"context"
	"fmt"

	"github.com/rxsse/rxsse/examples/location"
	"github.com/rxsse/rxsse/rx"
)

// A subscriber gets the current list, then the list after each post.
func ExampleController() {
	c := location.NewController()
	stream, _ := c.Stream(context.Background(), nil)
	sub := stream.Subscribe(context.Background(), rx.ObserverFuncs[[]location.Position]{
		OnNext: func(list []location.Position) { fmt.Println(list) },
	})
	defer sub.Unsubscribe()
	for _, p := range [][2]float64{{1, 2}, {30, 40}} {
		c.Add(context.Background(), &location.AddInput{X: &p[0], Y: &p[1]})
	}
	// Output:
	// []
	// [{1 2}]
	// [{30 40} {1 2}]
}
