package sse_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rxsse/rxsse/rx"
	"github.com/rxsse/rxsse/sse"
)

// countingData is JSON data that counts how often it is encoded.
type countingData struct {
	N       int
	encoded *atomic.Int64
}

func (d countingData) MarshalJSON() ([]byte, error) {
	d.encoded.Add(1)
	return fmt.Appendf(nil, `{"n":%d}`, d.N), nil
}

// A broadcast to 1,000 connections is encoded once per event, whatever the
// number of streams that write it: the route returns the stream of shared
// events as it is (a bus hub's stream of *bus.Message is one), and every
// connection gets the same bytes with its own automatic ids.
func TestBroadcastEncodedOnce(t *testing.T) {
	t.Parallel()
	const conns, events = 1000, 20
	news := rx.NewSubject[*sse.Encoded]()
	var subscribed sync.WaitGroup
	subscribed.Add(conns)
	srv := serveStream(t, nil, func(w http.ResponseWriter, r *http.Request) (rx.Observable[*sse.Encoded], error) {
		return rx.Create(func(s rx.Subscriber[*sse.Encoded]) func() {
			sub := news.Subscribe(s.Context(), rx.ObserverFuncs[*sse.Encoded]{OnNext: s.Next, OnComplete: s.Complete})
			subscribed.Done()
			return sub.Unsubscribe
		}), nil
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	bodies := make([]string, conns)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				subscribed.Done()
				return
			}
			defer resp.Body.Close()
			var b strings.Builder
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				b.WriteString(sc.Text() + "\n")
			}
			bodies[i] = b.String()
		})
	}
	subscribed.Wait()

	var encoded atomic.Int64
	for i := range events {
		news.Next(sse.Share(sse.MessageEvent{Type: "news", Data: countingData{N: i, encoded: &encoded}}))
	}
	news.Complete()
	wg.Wait()

	var exp strings.Builder
	exp.WriteString("\n")
	for i := range events {
		fmt.Fprintf(&exp, "event: news\nid: %d\ndata: {\"n\":%d}\n\n", i+1, i)
	}
	for i, b := range bodies {
		if b != exp.String() {
			t.Fatalf("connection %d got\n%q\nwant\n%q", i, b, exp.String())
		}
	}
	if n := encoded.Load(); n != events {
		t.Errorf("%d events to %d connections were encoded %d times, want %d", events, conns, n, events)
	}
}
