// Package httpconv is the HTTP semantic-convention and response-writer machinery shared by httpmw (and
// available to grpcmw): method normalisation, host/port and protocol splitting, route templates, error types,
// the standard HTTP histograms, attribute builders that write into caller-owned buffers, a bounded
// lock-free-read cache for precomputed attribute sets, a counting request body, and one response-writer
// wrapper that keeps http.Flusher, http.Hijacker, io.ReaderFrom and http.Pusher working.
//
// Everything matches what go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp v0.72 emits (semantic
// conventions v1.43.0), and is written for the request hot path: nothing here allocates for well-formed
// requests, except where noted.
package httpconv
