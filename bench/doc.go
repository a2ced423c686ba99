// Command bench measures rxsse, and any other server that speaks the
// benchmark contract, and puts the results side by side.
//
//	go run ./bench serve [-baseline] [-addr 127.0.0.1:8080] [-queue 4096] [-heartbeat 15s] [-policy disconnect]
//	go run ./bench fanout -target URL -c 1000 -n 200 -size 64
//	go run ./bench idle -target URL -c 5000 [-pid PID] [-hold 5s] [-route forever|fanout]
//	go run ./bench compare [-targets baseline=serve:baseline,rxsse=serve:rxsse,…] [-chart bench/results/compare.svg]
//	go run ./bench pipeline [-only map-filter-map,merge,scan,debounce] [-scale 1]
//
// Every measuring command prints a table (or -format md, or -json), states
// the machine (cores, CPU, Go version, load average at the start and end),
// the parameters, and for each figure the median of -runs repeated runs
// (default 3) with the min–max range. A progress line goes to stderr for
// anything that lasts more than a second. Connections, events and time are
// bounded: every command ends.
//
// # The benchmark contract
//
// A server exposes, under its base URL:
//
//	GET  /sse/bench/fanout                every event published after the client subscribed
//	POST /sse/bench/publish?n=N&size=S    publish N events {"t":<unix ns>,"seq":<0..N-1>,"pad":"<S bytes>"}; answer {"published":N}
//	GET  /sse/bench/subscribers           {"subscribers":K}
//	GET  /sse/bench/forever               a small event every second, forever
//	GET  /sse/bench/burst?n=N&size=S      N events as fast as possible, then the end of the stream
//
// This project's servers also answer GET /sse/bench/stats with their pid,
// RSS, CPU time and Go runtime memory; for other servers, give -pid so that
// bench reads their CPU and memory from /proc.
//
// # Servers
//
// serve runs the contract on rxsse written as a user writes it: a
// controller on a controller.Router whose SSE route returns a bus.Memory
// hub's stream (each broadcast is encoded once because *bus.Message carries a
// shared encoding). serve -baseline runs a minimal hand-written net/http
// server: each event encoded once, a bounded queue per connection, queued
// frames written in one Write and one Flush after one yield.
// It is the yardstick for "how close to the limit".
//
// A target is a URL, or a server bench starts itself as a separate process:
// serve:rxsse, serve:baseline, or run:<command> for any program that prints
// "listening on http://HOST:PORT (NAME, pid PID)" as its first line when
// started with PORT=0 (bench/nest does). Started servers are restarted for
// every idle run, so that each one measures a fresh process.
//
// # Fanout
//
// fanout opens C streams, waits until the server reports C subscribers,
// asks it to publish N events, and reads until every client has every
// event. It reports delivered events per second (C×N over the time from
// the publish request to the last event), the publish-to-receive latency
// (p50, p90, p99, max, from each event's t), the CPU each side used, and
// integrity: every client must get seq 0..N-1 exactly once and in order;
// missing, duplicated, reordered and unexpected events and dropped streams
// are counted.
//
// # Idle
//
// idle holds C streams open and reads how much the server's resident
// memory grew per connection, with the Go runtime's breakdown (heap,
// stacks, goroutines) for this project's servers. Past one process's
// open-file limit (20,000 here, and CAP_SYS_RESOURCE is not available to
// raise it), the client holds the streams in worker processes, each on its
// own loopback source address (127.0.1.x) to get past the ephemeral-port
// range; serve -procs N runs N server processes on one port (SO_REUSEPORT)
// for the same reason. -route fanout holds silent streams (heartbeats
// only), for counts where an event a second per stream would saturate the
// machine.
//
// # Pipelines
//
// pipeline runs named pipelines (map-filter-map, merge of 8 concurrent
// producers, scan, debounce of a burst) written in rx, in rxgo, as an rx
// pipeline with an rxgo stage (rx's bridge), with plain channels and as a
// plain loop, and reports ns/item, allocs/item, B/item and items/s; a
// version whose result differs from the others is flagged. Package
// bench/pipebench does the same for your own pipelines in go test -bench.
//
// # A NestJS app
//
// bench/nest is the contract as a NestJS 12.5.1 controller (Node is not
// needed to build or test this project):
//
//	cd bench/nest && npm install && npm run build && cd ../..
//	go run ./bench compare -targets "baseline=serve:baseline,rxsse=serve:rxsse,nest=run:node bench/nest/dist/main.js"
//
// or, for a Nest app already running: nest=http://127.0.0.1:3000 with
// -pid nest=<its pid>.
package main
