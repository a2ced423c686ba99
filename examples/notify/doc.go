// Package notify ports the finite stream of seed 003 (a Nest notify module
// with a Vue page): GET /notify/stream sends 这是第N次发送的SSE数据 for
// N = 1…200, one every 200 ms, then completes; every 50th is also sent as an
// event of type customEvent.
//
// The Nest controller:
//
//	@Sse('stream')
//	stream(): Observable<{ data: string }> {
//	  return interval(200).pipe(
//	    take(200),
//	    map((count) => ({ data: `这是第${count + 1}次发送的SSE数据` })),
//	  );
//	}
//
// is Controller.Stream, with one more operator (ConcatMap) for the customEvent
// the seed's page listens to.
package notify
