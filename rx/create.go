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
