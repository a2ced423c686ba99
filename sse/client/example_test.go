package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
	"github.com/rxsse/rxsse/sse/client"
)

type Tick struct {
	N int `json:"n"`
}

func Example() {
	// A server streaming three ticks.
	srv := httptest.NewServer(sse.Handler(func(w http.ResponseWriter, r *http.Request) (rx.Observable[Tick], error) {
		return rx.Of(Tick{1}, Tick{2}, Tick{3}), nil
	}, nil))
	defer srv.Close()

	// The remote stream is an Observable like any other: take the first
	// two ticks (the subscription, and its connection, end there).
	ticks := client.Stream[Tick](srv.URL, &client.Options{Client: srv.Client()})
	got, err := rx.Collect(context.Background(), rx.Take(ticks, 2))
	fmt.Println(got, err)
	// Output:
	// [{1} {2}] <nil>
}
