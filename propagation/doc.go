// Package propagation carries W3C Trace Context (traceparent, tracestate) and
// W3C Baggage across HTTP headers, gRPC metadata and JSON-RPC payloads, for
// app-server style hosts. It is built on the OpenTelemetry propagation API and
// on strict, allocation-conscious parsers that never panic on hostile input.
//
// # The value type
//
// [TraceContext] holds a traceparent and a tracestate with JSON tags
// `traceparent` and `tracestate` (omitted when empty), ready to put in
// JSON-RPC params. [FromContext] captures the current span as a TraceContext
// (nothing when the span context is invalid), [ContextWithRemoteParent]
// continues from one (ok=false and ctx unchanged on any invalid traceparent),
// and [TraceContext.InjectHeader] writes one into an http.Header, replacing
// existing traceparent/tracestate headers and removing a stale tracestate.
// [TraceIDHex] returns the current trace id as 32 lowercase hex characters.
//
// # Configured tracestate
//
// A provider may be configured with tracestate members (member key → field →
// value). They are merged into every outgoing tracestate: configured members
// come first in key order, configured fields replace existing ones in place,
// other fields and members are kept. For example the inbound
// `example=alpha:zero;keep:yes,other=value` with {example: {alpha: one,
// beta: two}} goes out as `example=alpha:one;keep:yes;beta:two,other=value`.
// The merging propagator is normally obtained from the provider
// (Provider.Propagator in the root package, validated at construction); a
// [Propagation] from [New] with [WithTraceState] gives the same behaviour
// without a provider. [Capture] uses any propagator, so
// Capture(ctx, provider.Propagator()) includes the configured members.
//
// The helpers that take no propagator ([FromContext], [InjectHeader],
// [TraceContext.InjectHeader], and [Capture] and [InjectOutgoing] with a nil
// propagator) merge in the configured members of the OpenTelemetry global
// propagator when that global is an otelkit propagator carrying configured
// members: the provider's, once Provider.InstallGlobals has run, or a
// [Propagation] from [New] with [WithTraceState]. With any other global
// (the OpenTelemetry default, a foreign propagator, or an otelkit one without
// members) they write plain W3C trace context, the span's tracestate as it
// is. The global is read on every call, so installing or restoring it takes
// effect at once.
//
// # Environment
//
// [ContextFromEnv] continues a trace from the TRACEPARENT and TRACESTATE
// environment variables, read once per process, for CLI-style tools started
// by a traced parent; an invalid value is ignored with one warning.
// [TraceContext.Environ] gives the variables to pass to a child process.
// [PropagatorsFromEnv] and [New] honour OTEL_PROPAGATORS (tracecontext,
// baggage, none; b3, jaeger, xray and ottrace are refused with a clear error).
//
// # Carriers
//
// HTTP headers use the OpenTelemetry HeaderCarrier (header names are
// case-insensitive, repeated headers are seen). gRPC metadata uses
// [MetadataCarrier] in both directions, with [InjectOutgoing] and
// [ExtractIncoming] as shortcuts. A map[string]string uses the OpenTelemetry
// MapCarrier (keys are case-sensitive and lower-case), and *[TraceContext] is
// itself a carrier.
//
// # Inbound policy
//
// [Policy] decides whether an inbound context is trusted; httpmw and grpcmw
// both apply it. [TrustAll] (the zero value, for internal services) continues
// the remote trace and keeps inbound baggage. [TrustNone] is for public
// endpoints: the request gets a new root span with a link to the remote
// context, inbound baggage is dropped, and the client's sampled flag cannot
// force or suppress our sampling. [TrustPeers] trusts only peers inside CIDR
// prefixes, such as the proxies in front of a service.
//
// # Limits
//
// Inbound tracestate is limited to [MaxTraceStateMembers] members and
// [MaxTraceStateBytes] bytes, and inbound baggage to [MaxBaggageMembers]
// members and [MaxBaggageBytes] bytes. Over a limit the whole header is
// dropped (a valid traceparent is still used): never an error to the client,
// never a panic.
package propagation
