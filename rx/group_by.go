package rx

// Grouped is one group of GroupBy: the values of the source with one key.
// Subscribing to it subscribes to the group's subject, so it sees the
// values of its key that come after.
type Grouped[K comparable, T any] struct {
	Key K
	Observable[T]
}

// GroupBy emits a Grouped for each new key of the values of src (key(v)),
// then passes each value to its group, as RxJS's groupBy: a group
// subscribed to at once (within the Next that emits it, as MergeMap does)
// sees every value of its key. When src completes or fails, every group
// does, then the stream. A group whose subscriber unsubscribed stays: later
// values of its key are dropped, and no new group is made for the key.
//
// Unlike RxJS, the groups belong to the subscription to GroupBy: when it
// ends early (unsubscribed, or cut by Take), src is unsubscribed and groups
// subscribed elsewhere get nothing more.
func GroupBy[T any, K comparable](src Observable[T], key func(T) K) Observable[Grouped[K, T]] {
	if key == nil {
		panic("rx: GroupBy: nil key function")
	}
	return newObservable(func(s Subscriber[Grouped[K, T]]) {
		g := &groupByObserver[T, K]{dst: s.dst, key: key, groups: make(map[K]*Subject[T])}
		src.run(upstream(s, Observer[T](g)))
	})
}

type groupByObserver[T any, K comparable] struct {
	dst    Observer[Grouped[K, T]]
	key    func(T) K
	groups map[K]*Subject[T]
	order  []*Subject[T]
}

func (o *groupByObserver[T, K]) Next(v T) {
	k := o.key(v) // a panic fails the stream (and, through Error, the groups)
	g, ok := o.groups[k]
	if !ok {
		g = NewSubject[T]()
		o.groups[k] = g
		o.order = append(o.order, g)
		o.dst.Next(Grouped[K, T]{Key: k, Observable: g.AsObservable()})
	}
	g.Next(v)
}

func (o *groupByObserver[T, K]) Error(err error) {
	for _, g := range o.order {
		g.Error(err)
	}
	o.dst.Error(err)
}

func (o *groupByObserver[T, K]) Complete() {
	for _, g := range o.order {
		g.Complete()
	}
	o.dst.Complete()
}
