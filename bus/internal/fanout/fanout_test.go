package fanout

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/rxsse/rxsse/rx"
)

// newTestSub returns a Sub whose deliveries are appended to *got.
func newTestSub(t *testing.T, user string, topics []string, got *[]int) *Sub[int] {
	var sub captured
	rx.Create(func(s rx.Subscriber[*int]) func() { sub = captured{s}; return nil }).
		Subscribe(context.Background(), rx.ObserverFuncs[*int]{OnNext: func(v *int) { *got = append(*got, *v) }})
	s := NewSub(sub.s, user, topics, nil)
	s.Drain() // give up delivery, as a hub does once registered
	return s
}

// captured holds the subscriber that Create hands its producer.
type captured struct{ s rx.Subscriber[*int] }

// check verifies the Router's indexes against the registered set.
func check(t *testing.T, r *Router[int], registered map[*Sub[int]]bool) {
	t.Helper()
	if len(r.all) != len(registered) {
		t.Fatalf("all has %d, want %d", len(r.all), len(registered))
	}
	users, topics := 0, 0
	for s := range registered {
		if r.all[s.idx] != s {
			t.Fatalf("all[%d] is not its subscriber", s.idx)
		}
		if s.user != "" {
			users++
			if r.users[s.user][s.uidx] != s {
				t.Fatalf("users[%q][%d] is not its subscriber", s.user, s.uidx)
			}
		}
		for i, tp := range s.topics {
			topics++
			if r.topics[tp][s.tidx[i]] != s {
				t.Fatalf("topics[%q][%d] is not its subscriber", tp, s.tidx[i])
			}
		}
	}
	n := 0
	for u, l := range r.users {
		if len(l) == 0 {
			t.Fatalf("users[%q] is empty but present", u)
		}
		n += len(l)
	}
	if n != users {
		t.Fatalf("users index has %d entries, want %d", n, users)
	}
	n = 0
	for tp, l := range r.topics {
		if len(l) == 0 {
			t.Fatalf("topics[%q] is empty but present", tp)
		}
		n += len(l)
	}
	if n != topics {
		t.Fatalf("topics index has %d entries, want %d", n, topics)
	}
}

// TestRouterIndexes adds and removes subscribers at random, checking the
// indexes after every step and routing to exactly the right ones, and that
// nothing is left once all are gone.
func TestRouterIndexes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var r Router[int]
	registered := map[*Sub[int]]bool{}
	got := map[*Sub[int]]*[]int{}
	var subs []*Sub[int]
	for step := range 3000 {
		if len(subs) > 0 && rng.IntN(2) == 0 {
			i := rng.IntN(len(subs))
			s := subs[i]
			subs = slices.Delete(subs, i, i+1)
			r.Remove(s)
			r.Remove(s) // twice is harmless
			delete(registered, s)
		} else {
			user := ""
			if rng.IntN(4) > 0 {
				user = "u" + strconv.Itoa(rng.IntN(20))
			}
			var topics []string
			for range rng.IntN(4) {
				topics = append(topics, "t"+strconv.Itoa(rng.IntN(5)))
			}
			g := new([]int)
			s := newTestSub(t, user, topics, g)
			r.Add(s)
			registered[s], got[s] = true, g
			subs = append(subs, s)
		}
		check(t, &r, registered)

		// Route one message and check who got it.
		v := step
		var topic string
		var users []string
		switch rng.IntN(3) {
		case 0:
			topic = "t" + strconv.Itoa(rng.IntN(5))
		case 1:
			users = Dedupe([]string{"u" + strconv.Itoa(rng.IntN(20)), "u" + strconv.Itoa(rng.IntN(20))})
		}
		Drain(r.Route(&v, topic, users, nil))
		for s := range registered {
			want := topic == "" && len(users) == 0 ||
				topic != "" && slices.Contains(s.topics, topic) ||
				topic == "" && slices.Contains(users, s.user)
			g := *got[s]
			if has := len(g) > 0 && g[len(g)-1] == v; has != want {
				t.Fatalf("step %d: subscriber %q %v got message: %v, want %v", step, s.user, s.topics, has, want)
			}
		}
	}
	for _, s := range subs {
		r.Remove(s)
		delete(registered, s)
	}
	check(t, &r, registered)
	if len(r.users) != 0 || len(r.topics) != 0 || r.Len() != 0 {
		t.Fatalf("left behind: %d users, %d topics, %d subscribers", len(r.users), len(r.topics), r.Len())
	}
}

func TestDedupe(t *testing.T) {
	long := make([]string, 40)
	for i := range long {
		long[i] = strconv.Itoa(i % 20)
	}
	for _, tt := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]string{"a", "", "a", "b"}, []string{"a", "b"}},
		{long, long[:20]},
	} {
		if got := Dedupe(tt.in); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Dedupe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A subscriber being delivered to by one goroutine gets what others route
// meanwhile, in order, from that same goroutine.
func TestMailboxOrder(t *testing.T) {
	var got []int
	var r Router[int]
	var s *Sub[int]
	var sub captured
	rx.Create(func(x rx.Subscriber[*int]) func() { sub = captured{x}; return nil }).
		Subscribe(context.Background(), rx.ObserverFuncs[*int]{OnNext: func(p *int) {
			v := *p
			got = append(got, v)
			if v == 1 { // route more while delivering: queued, not recursive
				for i := 2; i <= 4; i++ {
					if claimed := r.Route(&i, "", nil, nil); len(claimed) != 0 {
						t.Errorf("message %d claimed delivery while it was in progress", i)
					}
				}
			}
		}})
	s = NewSub(sub.s, "", nil, nil)
	one := 1
	s.Preload([]*int{&one})
	r.Add(s)
	s.Drain()
	if !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("got %v", got)
	}
}

// End may come from any goroutine while messages are routed and drained:
// the observer (here not serialized by rx) is still called by one goroutine
// at a time, gets every message queued before the end, in order, then
// Complete once (-race checks the first part).
func TestEndFromAnotherGoroutine(t *testing.T) {
	for range 50 {
		var got []int
		completed := 0
		var sub captured
		rx.CreateSerialized(func(s rx.Subscriber[*int]) func() { sub = captured{s}; return nil }).
			Subscribe(context.Background(), rx.ObserverFuncs[*int]{
				OnNext:     func(v *int) { got = append(got, *v) },
				OnComplete: func() { completed++ },
			})
		s := NewSub(sub.s, "", nil, nil)
		s.Drain()
		var r Router[int]
		r.Add(s)
		msgs := make([]int, 200)
		for i := range msgs {
			msgs[i] = i
		}
		ended := make(chan struct{})
		go func() {
			s.End()
			close(ended)
		}()
		var claimed []*Sub[int]
		for i := range msgs {
			claimed = r.Route(&msgs[i], "", nil, claimed)
			Drain(claimed)
			claimed = claimed[:0]
		}
		<-ended
		if completed != 1 {
			t.Fatalf("Complete called %d times, want 1", completed)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("delivered %v, want 0..%d in order", got, len(got)-1)
			}
		}
	}
}
