package sse_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// A client stops reading while ten events are published to a queue of
// three; the publisher never waits (a blocked Next would deadlock the
// bubble), and what the client reads afterwards shows the policy.
func TestSlowClientPolicies(t *testing.T) {
	tests := []struct {
		policy sse.SlowClientPolicy
		want   string
		logged string
	}{
		// Disconnect drops the connection, even the write in progress: the
		// client reconnects and resumes with its Last-Event-ID.
		{sse.Disconnect, "", "slow client disconnected"},
		// The dropped events keep their ids, so the client can see the gap.
		{sse.DropNewest, "\n" + numberedEvents(1, 2, 3, 11), "dropping events"},
		{sse.DropOldest, "\n" + numberedEvents(8, 9, 10, 11), "dropping events"},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				logger, logs := testLogger()
				subject := rx.NewSubject[string]()
				l, stop := pipeServer(sse.Handler(just(subject.AsObservable()),
					&sse.Options{QueueSize: 3, SlowClient: tt.policy, Logger: logger}))
				defer stop()
				c := l.get(t, "/", false)
				synctest.Wait() // the server is blocked writing the headers
				for i := 1; i <= 10; i++ {
					subject.Next(fmt.Sprintf("e%d", i))
				}
				c.resume()
				synctest.Wait()
				subject.Next("e11")
				subject.Complete()
				<-c.done
				if got := c.Body(); got != tt.want {
					t.Errorf("body %q\nwant %q", got, tt.want)
				}
				if dropped := c.err != nil; dropped != (tt.policy == sse.Disconnect) {
					t.Errorf("connection dropped = %v (%v)", dropped, c.err)
				}
				if !strings.Contains(logs.String(), tt.logged) {
					t.Errorf("log %q lacks %q", logs, tt.logged)
				}
				c.close()
			})
		})
	}
}

// A synchronous source is paced by its client: it is not subject to the
// queue limit, and every value arrives.
func TestSynchronousSourceLargerThanQueue(t *testing.T) {
	t.Parallel()
	n := 5000
	values := make([]int, n)
	for i := range values {
		values[i] = i
	}
	srv := serveStream(t, &sse.Options{QueueSize: 8}, just(rx.From(values)))
	_, body := fetch(t, nil, "GET", srv.URL, nil)
	var want strings.Builder
	want.WriteString("\n")
	for i := range values {
		fmt.Fprintf(&want, "id: %d\ndata: %d\n\n", i+1, i)
	}
	if body != want.String() {
		t.Errorf("body of %d bytes, want %d", len(body), want.Len())
	}
}
