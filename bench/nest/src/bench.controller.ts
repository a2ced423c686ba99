// The benchmark contract (rxsse DESIGN.md, "The benchmark contract") as a
// NestJS controller: what `go run ./bench compare` measures next to rxsse.
import { Controller, Get, MessageEvent, Post, Query, Sse } from '@nestjs/common';
import { Observable, Subject, interval, map, range } from 'rxjs';

// Unix time in nanoseconds (microsecond precision), as the contract's "t".
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
const payload = (seq: number, pad: string) => `{"t":${nowNs()},"seq":${seq},"pad":"${pad}"}`;

const hub = new Subject<MessageEvent>();
let subscribers = 0;

@Controller('sse/bench')
export class BenchController {
  @Sse('fanout')
  fanout(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((sub) => {
      subscribers++;
      const s = hub.subscribe(sub);
      return () => {
        s.unsubscribe();
        subscribers--;
      };
    });
  }

  @Post('publish')
  publish(@Query('n') n: string, @Query('size') size = '0') {
    const count = Number(n);
    const pad = 'x'.repeat(Number(size));
    for (let seq = 0; seq < count; seq++) hub.next({ data: payload(seq, pad) });
    return { published: count };
  }

  @Get('subscribers')
  subscribers() {
    return { subscribers };
  }

  @Sse('forever')
  forever(): Observable<MessageEvent> {
    return interval(1000).pipe(map((seq) => ({ data: `{"t":${nowNs()},"seq":${seq}}` })));
  }

  @Sse('burst')
  burst(@Query('n') n: string, @Query('size') size = '0'): Observable<MessageEvent> {
    const pad = 'x'.repeat(Number(size));
    return range(0, Number(n)).pipe(map((seq) => ({ data: payload(seq, pad) })));
  }
}
