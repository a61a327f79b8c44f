// Package session records the telemetry of app-server sessions: per-session metadata, a catalog of typed
// events (prompts, API requests, tool calls, stream events, ...), and bounded-cardinality metrics.
//
// Each event becomes an OpenTelemetry log record (all metadata, sensitive fields allowed, correlated with the
// trace and span in the context) and a span event on the current span (safe fields only: lengths, counts and
// flags instead of prompt text, tool arguments and output, account id and email).
//
// A session lives in the request context: middleware (httpmw, grpcmw) resolves it with a [Resolver] and
// [NewContext]; handlers call [FromContext](ctx).UserPrompt(ctx, ...). A missing session is a nil
// *Telemetry, whose methods do nothing.
package session
