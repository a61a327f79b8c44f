// Package otelkit sets up OpenTelemetry traces, metrics and logs for Go servers with delivery you can
// prove: bounded queues that count what they drop, OTLP exporters (HTTP protobuf, HTTP JSON, gRPC) that
// retry throttled and unavailable collectors within a deadline, and a Shutdown that flushes everything
// recorded before it returns, or says exactly what it could not deliver.
//
// # Quick start
//
//	s, err := otelkit.SettingsFromEnv() // OTEL_* variables; code below overrides them
//	if err != nil { ... }
//	s.ServiceName = "checkout"
//	s.Traces = otelkit.OTLP("http://collector:4318") // posts to /v1/traces
//	p, err := otelkit.NewProvider(s)
//	if err != nil { ... } // names the bad field, never echoes a header value
//	defer p.Shutdown(context.Background())
//	tracer := p.TracerProvider().Tracer("checkout")
//
// # Shutdown semantics
//
// [Provider.Shutdown] stops intake, exports every queued span, metric point and log record, and closes the
// exporters. It returns by the context's deadline even if the collector stalls, with an error wrapping
// context.DeadlineExceeded and a [DropError] for what was left. Signals shut down in parallel so that one
// stalled endpoint does not starve the others. It runs once; later calls return the first result.
// What is recorded after Shutdown — including a span started before it and ended after — is discarded by
// the OpenTelemetry SDK without reaching otelkit, so it is neither exported nor counted: let servers drain
// first (fxotel orders this for you).
//
// # Delivery accounting
//
// Every item ends up delivered, rejected (OTLP partial success), failed (permanent error) or dropped (queue
// full, or still queued at the shutdown deadline). [Provider.Stats] returns the counts and
// the error handler (see [WithErrorHandler]) receives a warning for each loss. While a collector is
// unreachable, failed batches stay queued and are sent when it comes back; a signal holds at most twice
// its queue bound (the queue plus the batch being retried), and what does not fit is dropped and counted.
//
// # Globals
//
// NewProvider never sets OpenTelemetry globals. [Provider.InstallGlobals] does, and returns a function that
// restores the previous ones.
package otelkit
