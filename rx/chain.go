package rx

// chain fuses a run of synchronous stages over one type (Map from T to T,
// Filter, Tap) into one observer: a value goes through every stage in one
// loop, at the cost of the user's functions and nothing else, with no call
// per stage. When the source is a slice (From, Of), the chain also runs the
// source's loop itself, so a From→Map→Filter→Map pipeline is one loop
// calling the three functions and the observer. The contract is unchanged:
// the stages run on the producer's goroutine one value at a time, a panic
// in a stage fails the stream, and a stopped subscription gets nothing.
type chain[T any] struct {
	src    Observable[T] // the source, unless slice is set
	values []T           // the source's values, when slice is set
	slice  bool
	stages []stage[T]
}

// stage is one fused step: a Map when f is set, else a Filter. Two words,
// so that an idle subscription's stages stay small; Tap is a Map that
// returns its value.
type stage[T any] struct {
	f    func(T) T
	keep func(T) bool
}

func mapStage[T any](f func(T) T) stage[T]          { return stage[T]{f: f} }
func filterStage[T any](keep func(T) bool) stage[T] { return stage[T]{keep: keep} }
func tapStage[T any](tap func(T)) stage[T] {
	return stage[T]{f: func(v T) T { tap(v); return v }}
}

// fromSlice is the Observable of From: a chain with no stages yet.
func fromSlice[T any](values []T) Observable[T] {
	c := &chain[T]{values: values, slice: true}
	return Observable[T]{chain: c}
}

// withStage returns o followed by st, fused with o's own stages when o is a
// chain.
func (o Observable[T]) withStage(st stage[T]) Observable[T] {
	var c chain[T]
	if o.chain != nil {
		c = *o.chain
	} else {
		c.src = o
	}
	// A new backing array: chains built from one prefix must not share it.
	c.stages = append(append(make([]stage[T], 0, len(c.stages)+1), c.stages...), st)
	return Observable[T]{chain: &c}
}

func (c *chain[T]) subscribe(s Subscriber[T]) {
	if !c.slice {
		c.src.run(upstream(s, Observer[T](&chainObserver[T]{dst: s.dst, stages: c.stages})))
		return
	}
	// The gate in front of the caller's observer is reached inline: its
	// check is the stopped flag this loop reads anyway (a gate ends the
	// lifetime it is given with, which is s's).
	g, _ := s.dst.(*gate[T])
	if g != nil && g.life != s.life {
		g = nil
	}
	stopped := &s.life.stopped
	if len(c.stages) <= 3 {
		// Up to three stages (the common case), held in locals: no loop
		// and no indexing per value.
		var st [3]stage[T]
		copy(st[:], c.stages)
		n := len(c.stages)
	values3:
		for _, v := range c.values {
			if stopped.Load() {
				return
			}
			if n > 0 {
				if st[0].f != nil {
					v = st[0].f(v)
				} else if !st[0].keep(v) {
					continue values3
				}
				if n > 1 {
					if st[1].f != nil {
						v = st[1].f(v)
					} else if !st[1].keep(v) {
						continue values3
					}
					if n > 2 {
						if st[2].f != nil {
							v = st[2].f(v)
						} else if !st[2].keep(v) {
							continue values3
						}
					}
				}
			}
			if g != nil {
				if !stopped.Load() {
					g.obs.Next(v)
				}
			} else {
				s.dst.Next(v)
			}
		}
		s.dst.Complete()
		return
	}
	stages := c.stages
values:
	for _, v := range c.values {
		if stopped.Load() {
			return
		}
		// runStages, written out: the call would cost as much as a stage.
		for i := range stages {
			if st := &stages[i]; st.f != nil {
				v = st.f(v)
			} else if !st.keep(v) {
				continue values
			}
		}
		if g != nil {
			if !stopped.Load() {
				g.obs.Next(v)
			}
		} else {
			s.dst.Next(v)
		}
	}
	s.dst.Complete()
}

// runStages passes v through stages; ok is false when a Filter dropped it.
func runStages[T any](stages []stage[T], v T) (T, bool) {
	for i := range stages {
		if st := &stages[i]; st.f != nil {
			v = st.f(v)
		} else if !st.keep(v) {
			return v, false
		}
	}
	return v, true
}

// chainObserver runs a chain's stages over the values of a source that is
// not a slice.
type chainObserver[T any] struct {
	dst    Observer[T]
	stages []stage[T]
}

func (o *chainObserver[T]) Next(v T) {
	if v, ok := runStages(o.stages, v); ok {
		o.dst.Next(v)
	}
}
func (o *chainObserver[T]) Error(err error) { o.dst.Error(err) }
func (o *chainObserver[T]) Complete()       { o.dst.Complete() }
