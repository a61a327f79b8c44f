// Package transform converts OpenTelemetry SDK metric data and log records to
// the OTLP protobuf types (go.opentelemetry.io/proto/otlp), for otelkit's own
// OTLP clients (protobuf and OTLP/JSON over HTTP, and gRPC).
//
// The OTel Go SDK keeps its metric and log conversion internal to its
// exporters; this package produces the same messages, field for field, so
// that what otelkit sends is exactly what the SDK's exporters would send. The
// tests prove it on the wire against the official otlpmetrichttp and
// otlploghttp exporters.
//
// # Performance
//
// Conversion is on the export hot path. Each conversion first counts what it
// needs, then carves the OTLP messages out of a few backing arrays sized to
// fit (one per message type), instead of allocating every message on its own.
// The messages of one result therefore share memory; they are meant to be
// encoded and dropped together. Resources and scopes are grouped with linear
// scans while there are few of them, and with maps past a handful.
//
// No function here panics on nil or unknown input: a nil ResourceMetrics
// converts to nil, an unknown aggregation is reported as an error naming the
// metric, and an unknown attribute kind is sent as "INVALID" like the SDK does.
package transform
