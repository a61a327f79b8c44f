package otelkit

import (
	"log/slog"

	"go.opentelemetry.io/contrib/bridges/otelslog"
)

// SlogHandler returns an slog.Handler that emits records as OTel log records through the provider's logger
// provider, under the instrumentation scope name (default [ScopeName]) with [Version] as the scope version:
// the bridge doing the instrumenting is otelkit's. Records logged with a context (slog.InfoContext and friends)
// carry the trace id and span id of the span in that context, so logs and traces correlate.
//
// When logs are off the handler is a no-op. To keep printing locally as well, combine it with your own
// handler (for example with slog.NewMultiHandler in Go 1.26).
func (p *Provider) SlogHandler(name string) slog.Handler {
	if name == "" {
		name = ScopeName
	}
	return otelslog.NewHandler(name, otelslog.WithVersion(Version), otelslog.WithLoggerProvider(p.LoggerProvider()))
}
