package rx

// Operator is one stage of a pipeline: a function from one Observable to
// another. Package rx/op provides one for each operator of this package
// (op.Map(f) is func(src) { return rx.Map(src, f) }), for use with Pipe1…Pipe8.
type Operator[T, R any] func(Observable[T]) Observable[R]

// Pipe1 applies op1 to src: Pipe1(src, a) is a(src).
func Pipe1[A, B any](src Observable[A], op1 Operator[A, B]) Observable[B] {
	return op1(src)
}

// Pipe2 applies 2 operators to src in order: Pipe2(src, a, b) is b(a(src)).
func Pipe2[A, B, C any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C]) Observable[C] {
	return op2(op1(src))
}

// Pipe3 applies 3 operators to src in order.
func Pipe3[A, B, C, D any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D]) Observable[D] {
	return op3(op2(op1(src)))
}

// Pipe4 applies 4 operators to src in order.
func Pipe4[A, B, C, D, E any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D], op4 Operator[D, E]) Observable[E] {
	return op4(op3(op2(op1(src))))
}

// Pipe5 applies 5 operators to src in order.
func Pipe5[A, B, C, D, E, F any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D], op4 Operator[D, E], op5 Operator[E, F]) Observable[F] {
	return op5(op4(op3(op2(op1(src)))))
}

// Pipe6 applies 6 operators to src in order.
func Pipe6[A, B, C, D, E, F, G any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D], op4 Operator[D, E], op5 Operator[E, F], op6 Operator[F, G]) Observable[G] {
	return op6(op5(op4(op3(op2(op1(src))))))
}

// Pipe7 applies 7 operators to src in order.
func Pipe7[A, B, C, D, E, F, G, H any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D], op4 Operator[D, E], op5 Operator[E, F], op6 Operator[F, G], op7 Operator[G, H]) Observable[H] {
	return op7(op6(op5(op4(op3(op2(op1(src)))))))
}

// Pipe8 applies 8 operators to src in order.
func Pipe8[A, B, C, D, E, F, G, H, I any](src Observable[A], op1 Operator[A, B], op2 Operator[B, C], op3 Operator[C, D], op4 Operator[D, E], op5 Operator[E, F], op6 Operator[F, G], op7 Operator[G, H], op8 Operator[H, I]) Observable[I] {
	return op8(op7(op6(op5(op4(op3(op2(op1(src))))))))
}
