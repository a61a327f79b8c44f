// Package session records the telemetry of app-server sessions: per-session metadata, a catalog of typed
// events (prompts, API requests, tool calls, stream events, ...), and bounded-cardinality metrics. It is
// the Go counterpart of codex-otel's SessionTelemetry.
//
// # Sessions and requests
//
// A session lives in the request context: middleware (httpmw, grpcmw) resolves it with a [Resolver] and
// stores it with [NewContext]; handlers call [FromContext](ctx).UserPrompt(ctx, ...). A missing session
// is a nil *Telemetry, whose methods do nothing and cost no allocation. Hosts create one [Factory] per
// process with the outputs, and one [Telemetry] per session:
//
//	f := session.NewFactory(session.WithLoggerProvider(p.EventLoggerProvider()), session.WithMetrics(mc))
//	r := session.NewResolver(f, session.WithEnrich(fromAuth))
//
// Nothing global is read unless [WithGlobals] is given.
//
// # Where each event goes
//
// Every event method (one per event, each with a typed argument struct) records:
//
//   - a log record with EventName, Timestamp, severity INFO, the attributes event.name and
//     event.timestamp (UTC RFC 3339, milliseconds, "Z"), the session metadata (conversation.id,
//     app.version, auth_mode, originator, terminal.type, model, slug, session_source, service_name,
//     user.account_id, user.email) and the event's fields, sensitive ones included. It is emitted with the event's context, so it carries the
//     trace and span id of the current span;
//   - a span event on trace.SpanFromContext(ctx), when that span is recording, with the same envelope and
//     metadata minus user.account_id and user.email, and only safe fields: lengths, counts and flags
//     instead of prompt text, tool arguments and output, MCP server names;
//   - its metrics (see below);
//   - then the sinks ([WithSink]).
//
// Prompt text appears in logs only when Metadata.LogUserPrompts is set, otherwise as [RedactedPrompt];
// never in spans or metrics. error.message, which goes to spans too, is the error's text with every URL
// in it redacted as url.full is (user info and fragment removed, query values replaced by "REDACTED"):
// an HTTP client's error holds the request URL, and its query may hold a token.
//
// Empty metadata values are omitted, and so are the empty optional string fields, those documented as
// recorded when set: the auth.* strings of [RequestAuth] and [AuthRecovery], startup.status, and the
// provider_name, reasoning_effort, reasoning_summary, approval_policy and sandbox_policy of
// codex.conversation_starts. The MCP server fields of log records are the exception: like the Rust
// reference crate, the codex.tool_result log record always carries mcp_server and mcp_server_origin ("" for
// a built-in tool), and the codex.conversation_starts log record always carries mcp_servers ("" when no
// server is configured). Each method's documentation lists its fields. Only what a receiver wants is
// built: a disabled logger, a non-recording span and no sinks make an event cost nothing but its metrics.
//
// # Metrics
//
// With [WithMetrics], events record the reference's metrics (codex.api_request, codex.tool.call, their
// .duration_ms histograms, ...; see the Metric* constants) tagged with the event's bounded tags and, unless
// [WithoutMetadataTags], the session's metadata tags in this order: auth_mode (when set), session_source,
// originator, service_name (when set), model, app.version. A later tag overrides an earlier one; the
// client's default tags come first. Session ids, account ids, emails and prompts are never tags. Metric
// failures never reach the caller: they go to [WithErrorHandler] (default otel.Handle).
//
// Metadata a [Resolver] reads from a request is the client's choice, so it is bounded and cleaned, and its
// model, originator, session source and app version become tags only when allowed with
// [WithAllowedTagValues]; any other value is tagged [TagValueOther]. Logs and spans keep the value. What
// the host sets ([New], [Factory.New], [Resolver.FromMetadata], a value [WithEnrich] changes,
// [Telemetry.WithModel]) is tagged as given. See [Resolver], § Untrusted values.
//
// [Telemetry.RuntimeSummary] totals the runtime metrics from the client's snapshot reader and
// [Telemetry.ResetRuntimeMetrics] starts a new period; both temporalities work (see RuntimeSummary).
//
// # Differences from codex-otel
//
// Deliberate, to fix quirks of the reference or to fit Go app-servers:
//
//   - An invalid metadata value (a model "gpt 5:latest", an app version with "+") is sanitised for metric
//     tags (metrics.Sanitize; an empty required tag becomes "unspecified") and kept as given in logs and
//     spans. The reference failed, logged and dropped the whole metric. The originator is still sanitised
//     when the session is created, as in the reference. Bounded per-event tag values (tool, kind, phase,
//     status) are sanitised the same way.
//   - The completion-failure event is SSECompleted{Err: ...}, not "see_event_completed_failed".
//   - ToolFailed records the codex.tool.call counter and duration (success=false) like any tool result, so
//     failures count in the totals; its span event carries output_length and output_line_count but not
//     the error text, which is the tool's output (the reference put it in error.message on the span).
//   - SSE failures record event.kind "unknown" in the log as well as the span when the kind is unknown.
//   - WebSocketConnect treats status 101 (the websocket upgrade) as success.
//   - WebSocketEvent always records a log record and span event codex.websocket_event (the reference's
//     branch variant); the main line recorded only metrics.
//   - Timing fields of websocket timing messages that are 0 are not recorded (the sums are the same).
//   - RunTool's span and log record come from a measured duration using the session's clock; a nil session
//     still runs the tool.
//   - Token counts of SSECompleted that the server did not report are recorded as 0.
//   - event.name is an attribute of span events as well as log records.
//   - session_source and service_name are metadata attributes of every log record and span event, not
//     only metric tags.
//   - Metadata is a plain struct (AuthEnv included) that a Resolver builds from requests; auth mode,
//     account and prompt-logging consent are never read from the client.
//   - Metadata tag values a client supplied (model, originator, session source, app version) are
//     "other" on metrics unless allow-listed; the reference's clients were its own programs, an
//     app-server's are not.
//   - The runtime summary works with cumulative temporality (the metrics client's default) by keeping a
//     per-session baseline, as well as with delta, which the reference required.
//   - Metric facade methods (Counter, Histogram, RecordDuration) add the metadata tags; start_timer,
//     shutdown and snapshot stay on the metrics client.
//   - Not ported: plugin install events, record_responses (span naming of response events), the
//     product_sku tag and Statsig specifics.
package session
