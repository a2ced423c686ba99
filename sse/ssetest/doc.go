// Package ssetest is a kit for testing SSE servers, yours included: it reads
// text/event-stream responses the way a browser's EventSource does
// (following the WHATWG rules), and gives tests short expectations about
// them.
//
//	srv := ssetest.NewServer(t, handler) // loopback; streams end with the test
//	c := srv.Connect(t, "/notify/stream") // fails the test unless it is a stream
//	ev := c.Next()                        // the next event, within DefaultTimeout
//	c.ExpectNone(100 * time.Millisecond)  // and then silence
//
//	srv.WaitStreams(t, "/sse/event", 2)   // two streams open on the path
//	ssetest.WaitSubscribers(t, hub, 2)    // two bus subscriptions registered
//	res := srv.PostJSON(t, "/messages", `{"content":"hi"}`, "Authorization", "Bearer "+token)
//
// Reader and Open are the building blocks, without a testing.TB, for tests
// and tools that handle errors themselves.
package ssetest
