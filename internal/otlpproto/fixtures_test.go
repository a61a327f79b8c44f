package otlpproto

import "github.com/otelkit/otelkit/internal/otlpfixture"

// The shared OTLP fixtures (see internal/otlpfixture), under short names for the tests of this package.
var (
	traceID  = otlpfixture.TraceID
	parentID = otlpfixture.ParentID

	kv          = otlpfixture.KV
	strVal      = otlpfixture.StrVal
	intVal      = otlpfixture.IntVal
	richTraces  = otlpfixture.Traces
	richMetrics = otlpfixture.Metrics
	richLogs    = otlpfixture.Logs
)
