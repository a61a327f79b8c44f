// Package loadtest is otelkit's system-level fault, security and load suite, and the bounded HTTP load
// generator it drives servers with.
//
// The tests run a real instrumented chi server (httpmw, sessions, metrics) on loopback, export its traces,
// metrics and logs to an otlptest receiver, and assert on what the receiver decoded:
//
//   - faults: the collector down for the whole run, down then up (exact delivered and dropped counts with
//     small queues), stalled, throttling storms with Retry-After, connection resets, partial success;
//   - under load: request latency with the collector down against up, the heap while it is down, and a
//     graceful stop that delivers the span of every request a client saw completed;
//   - inbound abuse: malformed and oversized trace headers and gRPC metadata, clients trying to force or
//     suppress sampling on a public endpoint, and baggage from untrusted peers;
//   - secrets: configured header values and TLS private keys never reaching errors, logs or payloads;
//   - fuzz targets for the parsers that had none (trusted-peer policy, session stream events, settings from
//     the environment, collector responses).
//
// The benchmarks compare the throughput of an instrumented route with the same route uninstrumented, in the
// same run; see BENCHMARKS.md at the module root.
//
// # Regressions
//
// The bugs this suite found in other packages (secrets echoed in errors, slow gRPC recovery after an
// outage, rejected counts larger than what was sent) are fixed; each has a test in regressions_test.go
// that reproduces the original failure and runs in `make test`:
//
//	go test -run Regression -v ./loadtest/
//
// # Load generator
//
// Run sends a fixed number of requests from a fixed number of workers over keep-alive connections and
// reports the status codes, transport errors and latencies it saw. Each request is bounded by Load.Timeout
// (DefaultTimeout, 30s, unless set) and the run by the context given to Run:
//
//	res, err := loadtest.Run(ctx, loadtest.Load{
//		Requests:    1000,
//		Concurrency: 16,
//		Request: func(ctx context.Context, i int) (*http.Request, error) {
//			return http.NewRequestWithContext(ctx, http.MethodGet, base+"/users/"+strconv.Itoa(i), nil)
//		},
//	})
//	fmt.Println(res.OK(), res.Quantile(0.99), res.PerSecond())
package loadtest
