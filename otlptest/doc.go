// Package otlptest runs a real OTLP receiver on loopback for tests: the
// delivery tests of otelkit use it, and so can yours.
//
// A [Server] speaks OTLP/HTTP (binary protobuf and JSON, optionally gzip, on
// any path ending in /v1/traces, /v1/metrics or /v1/logs) and OTLP/gRPC (the
// three collector services, gzip accepted), optionally over TLS or mutual
// TLS. It decodes what it receives, and records every request as a
// [Request] and the data of the accepted ones as [Span], [Metric] and
// [LogRecord] values with their resource and scope.
//
// JSON is decoded strictly by default: base64 ids, enum names, proto field
// names as keys and unknown fields are rejected with 400, so that an encoder
// that does not follow the OTLP/JSON specification fails the test instead of
// hiding behind a forgiving receiver. [WithLenientJSON] relaxes this to the
// receiver rules of the specification.
//
// # Waiting
//
// Exporters deliver asynchronously. [Server.WaitSpans], [Server.WaitMetrics],
// [Server.WaitLogs], [Server.WaitRequests] and [Server.WaitStalled] block
// until the data is there, woken by each recording rather than by polling,
// and fail the test after their timeout with a summary of what did arrive.
//
// # Faults
//
// [Server.Script] and [Server.ScriptFor] queue faults for the next export
// requests and [Server.SetDefault] sets one for all later requests: HTTP
// statuses (mapped to gRPC codes) with Retry-After or RetryInfo throttling
// ([Status]), partial success ([PartialSuccess]), requests held until
// [Server.Release] ([Stall]) and dropped connections ([Reset]).
// [Server.Pause] and [Server.Resume] take the whole collector down and bring
// it back on the same ports.
//
// # Failure responses
//
// Rejected OTLP/HTTP requests (malformed payloads, faults, unsupported media
// types) are answered with a short text/plain message naming the problem,
// which exporters include in their errors, rather than a google.rpc.Status
// message.
package otlptest
