package rx

import "sync"

// Race subscribes to every source in order and mirrors the first one to
// emit (a value, an error or completion), unsubscribing from the others, as
// RxJS's race. With no sources it never emits, as in RxJS.
func Race[T any](srcs ...Observable[T]) Observable[T] {
	srcs = append([]Observable[T](nil), srcs...)
	return newObservable(func(s Subscriber[T]) {
		if len(srcs) == 1 {
			srcs[0].run(s)
			return
		}
		r := &raceRun[T]{s: s, winner: -1, lives: make([]*lifetime, len(srcs))}
		for i, src := range srcs {
			r.mu.Lock()
			decided := r.winner >= 0
			r.mu.Unlock()
			if decided || s.Closed() {
				return
			}
			c := s.life.child()
			if c == nil {
				return
			}
			r.mu.Lock()
			r.lives[i] = c
			r.mu.Unlock()
			src.run(Subscriber[T]{life: c, dst: &gate[T]{life: c, obs: raceInput[T]{r, i}}})
		}
	})
}

// RaceWith is Race of src and others, as RxJS's raceWith.
func RaceWith[T any](src Observable[T], others ...Observable[T]) Observable[T] {
	return Race(append([]Observable[T]{src}, others...)...)
}

type raceRun[T any] struct {
	s Subscriber[T]

	mu     sync.Mutex
	winner int
	lives  []*lifetime
}

// win reports whether input i is (or has just become) the winner; the first
// to call it wins and the others are unsubscribed.
func (r *raceRun[T]) win(i int) bool {
	r.mu.Lock()
	if r.winner >= 0 {
		w := r.winner
		r.mu.Unlock()
		return w == i
	}
	r.winner = i
	losers := make([]*lifetime, 0, len(r.lives))
	for j, l := range r.lives {
		if j != i && l != nil {
			losers = append(losers, l)
		}
	}
	r.mu.Unlock()
	for _, l := range losers {
		l.unsubscribe()
	}
	return true
}

type raceInput[T any] struct {
	r *raceRun[T]
	i int
}

// Only the winner calls the subscriber, so its calls are serialized.
func (o raceInput[T]) Next(v T) {
	if o.r.win(o.i) {
		o.r.s.dst.Next(v)
	}
}
func (o raceInput[T]) Error(err error) {
	if o.r.win(o.i) {
		o.r.s.dst.Error(err)
	}
}
func (o raceInput[T]) Complete() {
	if o.r.win(o.i) {
		o.r.s.dst.Complete()
	}
}
