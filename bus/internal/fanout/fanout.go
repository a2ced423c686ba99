// Package fanout is the local delivery core shared by the bus backends: a
// registry of subscribers indexed by user and topic, so that a message costs
// work only for its recipients, and a mailbox per subscriber, so that
// observers are called in id order without the registry's lock held.
//
// A Router is not safe for concurrent use: its owner guards it with the same
// lock that orders its messages (the memory hub's lock, the Redis reader), and
// calls Route in id order. Delivery (Sub.Drain) happens after that lock is
// released.
package fanout

import (
	"sync"

	"github.com/rxsse/rxsse/rx"
)

// Router indexes the subscribers of one hub.
type Router[M any] struct {
	all    []*Sub[M]
	users  map[string][]*Sub[M]
	topics map[string][]*Sub[M]
}

// Sub is one subscription: where it is registered, and its mailbox.
type Sub[M any] struct {
	out    rx.Subscriber[*M]
	user   string
	topics []string
	keep   func(*M) bool

	// Positions in the Router's lists, guarded by the Router's owner.
	idx  int // in all; -1 when not registered
	uidx int
	tidx []int

	mu       sync.Mutex
	pending  []*M // nil entry: end of stream (Complete)
	spare    []*M
	draining bool // a goroutine is delivering, or will
}

// NewSub returns a subscriber for out, for user ("" = anonymous) and topics
// (deduplicated). keep, when not nil, filters what Drain delivers; it is
// called by one goroutine at a time. The caller owns delivery until it calls
// Drain: messages routed meanwhile wait in the mailbox.
func NewSub[M any](out rx.Subscriber[*M], user string, topics []string, keep func(*M) bool) *Sub[M] {
	topics = Dedupe(topics)
	return &Sub[M]{
		out:      out,
		user:     user,
		topics:   topics,
		keep:     keep,
		idx:      -1,
		tidx:     make([]int, len(topics)),
		draining: true,
	}
}

// Preload queues msgs ahead of anything routed later (replayed history). Call
// it before the Sub is added, or while holding the Router owner's lock.
func (s *Sub[M]) Preload(msgs []*M) {
	s.mu.Lock()
	s.pending = append(s.pending, msgs...)
	s.mu.Unlock()
}

// push queues m (nil: end) and reports whether the caller must Drain.
func (s *Sub[M]) push(m *M) bool {
	s.mu.Lock()
	s.pending = append(s.pending, m)
	claim := !s.draining
	s.draining = true
	s.mu.Unlock()
	return claim
}

// End queues the end of stream (Complete) behind what is queued, and
// delivers if no goroutine is delivering: any goroutine may call it, at any
// time (a context ending the subscription, say), without breaking the
// one-deliverer-at-a-time rule that lets the observer go unserialized.
func (s *Sub[M]) End() {
	if s.push(nil) {
		s.Drain()
	}
}

// Drain delivers the queued messages in order, including those queued by
// others while it runs, then gives up delivery. Only the goroutine that owns
// delivery (NewSub's caller, or one that Route or EndAll returned the Sub to)
// calls it.
func (s *Sub[M]) Drain() {
	s.mu.Lock()
	for len(s.pending) > 0 {
		batch := s.pending
		s.pending, s.spare = s.spare[:0], nil
		s.mu.Unlock()
		for i, m := range batch {
			batch[i] = nil
			switch {
			case s.out.Closed():
			case m == nil:
				s.out.Complete()
			case s.keep == nil || s.keep(m):
				s.out.Next(m)
			}
		}
		s.mu.Lock()
		if s.spare == nil {
			s.spare = batch[:0]
		}
	}
	s.draining = false
	s.mu.Unlock()
}

// Len returns the number of registered subscribers.
func (r *Router[M]) Len() int { return len(r.all) }

// Add registers s.
func (r *Router[M]) Add(s *Sub[M]) {
	if s.idx >= 0 {
		return
	}
	s.idx = len(r.all)
	r.all = append(r.all, s)
	if s.user != "" {
		if r.users == nil {
			r.users = make(map[string][]*Sub[M])
		}
		l := r.users[s.user]
		s.uidx = len(l)
		r.users[s.user] = append(l, s)
	}
	for i, t := range s.topics {
		if r.topics == nil {
			r.topics = make(map[string][]*Sub[M])
		}
		l := r.topics[t]
		s.tidx[i] = len(l)
		r.topics[t] = append(l, s)
	}
}

// Remove unregisters s; removing it twice is harmless. Empty user and topic
// entries are deleted, so nothing of s stays behind.
func (r *Router[M]) Remove(s *Sub[M]) {
	if s.idx < 0 {
		return
	}
	r.all = cut(r.all, s.idx, func(moved *Sub[M], at int) { moved.idx = at })
	s.idx = -1
	if s.user != "" {
		l := cut(r.users[s.user], s.uidx, func(moved *Sub[M], at int) { moved.uidx = at })
		if len(l) == 0 {
			delete(r.users, s.user)
		} else {
			r.users[s.user] = l
		}
	}
	for i, t := range s.topics {
		l := cut(r.topics[t], s.tidx[i], func(moved *Sub[M], at int) {
			for j, mt := range moved.topics {
				if mt == t {
					moved.tidx[j] = at
					return
				}
			}
		})
		if len(l) == 0 {
			delete(r.topics, t)
		} else {
			r.topics[t] = l
		}
	}
}

// cut removes l[i] by moving the last element into its place (moved is told
// its new position) and returns the shortened list.
func cut[M any](l []*Sub[M], i int, moved func(*Sub[M], int)) []*Sub[M] {
	last := len(l) - 1
	if i != last {
		l[i] = l[last]
		moved(l[i], i)
	}
	l[last] = nil
	return l[:last]
}

// Route queues m for its recipients: everyone when topic is "" and users is
// empty, else the subscribers of topic, else those of users (which must hold
// no duplicates). It appends to claimed the subscribers the caller must Drain
// once it has released its lock, and returns it.
func (r *Router[M]) Route(m *M, topic string, users []string, claimed []*Sub[M]) []*Sub[M] {
	switch {
	case topic != "":
		claimed = pushAll(r.topics[topic], m, claimed)
	case len(users) > 0:
		for _, u := range users {
			claimed = pushAll(r.users[u], m, claimed)
		}
	default:
		claimed = pushAll(r.all, m, claimed)
	}
	return claimed
}

func pushAll[M any](subs []*Sub[M], m *M, claimed []*Sub[M]) []*Sub[M] {
	for _, s := range subs {
		if s.push(m) {
			claimed = append(claimed, s)
		}
	}
	return claimed
}

// EndAll queues the end of stream for every subscriber and unregisters them
// all. It returns the subscribers the caller must Drain.
func (r *Router[M]) EndAll(claimed []*Sub[M]) []*Sub[M] {
	for _, s := range r.all {
		s.idx = -1
		if s.push(nil) {
			claimed = append(claimed, s)
		}
	}
	r.all, r.users, r.topics = nil, nil, nil
	return claimed
}

// Drain delivers to each claimed subscriber in turn, and clears the list for
// reuse.
func Drain[M any](claimed []*Sub[M]) {
	for i, s := range claimed {
		claimed[i] = nil
		s.Drain()
	}
}

// Dedupe returns l without repeated or empty strings, keeping the first
// occurrence of each; l itself is returned when it has none.
func Dedupe(l []string) []string {
	if len(l) <= 16 && clean(l) {
		return l
	}
	seen := make(map[string]struct{}, len(l))
	out := make([]string, 0, len(l))
	for _, s := range l {
		if _, dup := seen[s]; dup || s == "" {
			continue
		}
		seen[s] = struct{}{}
		out = append(out, s)
	}
	return out
}

// clean reports whether the short list l has no repeated or empty string.
func clean(l []string) bool {
	for i, s := range l {
		if s == "" {
			return false
		}
		for _, p := range l[:i] {
			if p == s {
				return false
			}
		}
	}
	return true
}
