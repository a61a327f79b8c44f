package otelkit

// Version is the otelkit release. It is reported as the instrumentation scope version and in the
// exporter's User-Agent.
const Version = "0.1.0"

// ScopeName is the instrumentation scope name of the root package.
const ScopeName = "github.com/otelkit/otelkit"
