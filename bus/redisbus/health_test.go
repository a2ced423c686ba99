package redisbus_test

import (
	"testing"
	"time"

	"github.com/rxsse/rxsse/bus"
	"github.com/rxsse/rxsse/bus/redisbus"
)

// The reader is reported connected, then not while Redis is down, then
// connected again once it is back; its position follows what it routes.
func TestReaderHealth(t *testing.T) {
	srv := startRedis(t)
	hub := newHub(t, srv.url(), &redisbus.Options{Stream: "bus", Block: 100 * time.Millisecond, Logger: testLogger(t)})
	waitConnected := func(want bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for hub.ReaderConnected() != want {
			if time.Now().After(deadline) {
				t.Fatalf("ReaderConnected stays %v", !want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitConnected(true)
	if p := hub.ReaderPosition(); p != 0 {
		t.Errorf("position of an empty stream: %d", p)
	}
	sub := hub.Subscribe(t.Context(), bus.Recipient{}).Subscribe(t.Context(), nopObserver{})
	defer sub.Unsubscribe()
	before := time.Now().UnixMilli()
	if _, err := hub.Publish(t.Context(), bus.ToAll(), "", []byte("x")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for hub.ReaderPosition() < before-1000 {
		if time.Now().After(deadline) {
			t.Fatalf("position %d, want about %d", hub.ReaderPosition(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}

	srv.kill()
	waitConnected(false)
	srv.start()
	waitConnected(true)
}

type nopObserver struct{}

func (nopObserver) Next(*bus.Message) {}
func (nopObserver) Error(error)       {}
func (nopObserver) Complete()         {}
