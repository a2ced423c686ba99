package ssetest_test

import (
	"fmt"
	"strings"

	"github.com/rxsse/rxsse/sse/ssetest"
)

func Example() {
	body := "\n: keep-alive\n\nevent: greeting\nid: 1\ndata: hello\ndata: world\n\nid: 2\ndata: {\"n\":2}\n\n"
	r := ssetest.NewReader(strings.NewReader(body))
	events, err := r.ReadAll()
	if err != nil {
		panic(err)
	}
	for _, ev := range events {
		fmt.Printf("%s %s %q\n", ev.LastEventID, ev.Type, ev.Data)
	}
	// Output:
	// 1 greeting "hello\nworld"
	// 2 message "{\"n\":2}"
}
