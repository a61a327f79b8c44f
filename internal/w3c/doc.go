// Package w3c is the W3C Trace Context and Baggage machinery shared by the
// root otelkit package (which validates configured tracestate and builds the
// provider's propagator) and the public propagation package built on top of it.
//
// Everything here is written for untrusted input on the request hot path:
// parsing is strict (W3C Trace Context Level 1 and 2, as the specification's
// own test suite checks it), uses no regular expressions, allocates little,
// bounds its work, and never panics. Over-limit input is dropped, never an
// error:
//
//   - tracestate: at most [MaxTraceStateMembers] list members and
//     [MaxTraceStateBytes] bytes (members and separating commas, without
//     optional white space);
//   - baggage: at most [MaxBaggageMembers] members and [MaxBaggageBytes] bytes
//     across all baggage headers.
//
// # Configured tracestate
//
// A provider may be configured with tracestate members (member key → field →
// value) that are merged into every outgoing tracestate. Each member value is
// encoded as `field:value` pairs sorted by field key and joined with `;`.
// [ValidateConfigured] checks them at construction; [TraceContext] caches the
// encoding once and merges it on every Inject (see [TraceContext] for the
// exact rules).
package w3c
