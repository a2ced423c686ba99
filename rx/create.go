package rx

// Create makes an Observable from a producer, as RxJS's new Observable does.
// For each subscription, produce is called with the subscriber; it may emit
// at once or start work that emits later, from any goroutines (Create
// serializes their calls), and returns a teardown (or nil) that runs once when
// the subscription ends. A producer that blocks should watch
// s.Context().Done().
func Create[T any](produce func(s Subscriber[T]) (teardown func())) Observable[T] {
	if produce == nil {
		panic("rx: Create: nil producer")
	}
	return newObservable(func(s Subscriber[T]) {
		s = Subscriber[T]{life: s.life, dst: &serializer[T]{dst: s.dst}}
		s.OnTeardown(produce(s))
	})
}

// CreateSerialized is Create for a producer that already serializes its
// calls: it adds no lock and no queue in front of the subscriber, so each
// notification costs a plain call. It is meant for sources that deliver from
// a mailbox or under a lock of their own (a hub routing to many
// subscribers), where Create's serialization would be a second one.
//
// The producer must guarantee what Create would otherwise provide: every
// call to s.Next, s.Error and s.Complete, from produce or from any goroutine
// it starts, happens after the previous call has returned (the calls are
// ordered by a mutex, a channel or one goroutine), and no call is made from
// within another, that is, from code that the subscriber's Next runs
// downstream. A producer that cannot promise this must use Create;
// breaking it is a data race. Everything else (teardown, Context, Closed,
// panics becoming errors) is as in Create.
func CreateSerialized[T any](produce func(s Subscriber[T]) (teardown func())) Observable[T] {
	if produce == nil {
		panic("rx: CreateSerialized: nil producer")
	}
	return newObservable(func(s Subscriber[T]) {
		s.OnTeardown(produce(s))
	})
}

// Defer calls factory at each subscription and subscribes to the Observable
// it returns, so every subscriber gets a fresh one.
func Defer[T any](factory func() Observable[T]) Observable[T] {
	if factory == nil {
		panic("rx: Defer: nil factory")
	}
	return newObservable(func(s Subscriber[T]) {
		factory().run(s)
	})
}
