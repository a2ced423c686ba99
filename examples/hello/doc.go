// Package hello ports Nest's official SSE sample (sample/28-sse): GET /sse
// sends {"hello":"world"} every second, forever.
//
// The Nest controller:
//
//	@Sse('sse')
//	sse(): Observable<MessageEvent> {
//	  return interval(1000).pipe(map((_) => ({ data: { hello: 'world' } })));
//	}
//
// is, in Go, Controller.Stream: the same two operators, typed.
package hello
