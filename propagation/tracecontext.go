package propagation

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// Header names of W3C Trace Context and Baggage.
const (
	// TraceParentHeader is the traceparent header (and JSON field) name.
	TraceParentHeader = w3c.TraceParentHeader
	// TraceStateHeader is the tracestate header (and JSON field) name.
	TraceStateHeader = w3c.TraceStateHeader
	// BaggageHeader is the baggage header name.
	BaggageHeader = w3c.BaggageHeader
)

// TraceContext is a W3C trace context as a value, the form app-server hosts
// put in JSON-RPC params. Both fields are omitted from JSON when empty.
//
// A TraceContext from [FromContext] or [Capture] is always valid. One from the
// wire may not be: [ContextWithRemoteParent] and [TraceContext.SpanContext]
// validate it. *TraceContext is also a propagation.TextMapCarrier for the two
// fields.
type TraceContext struct {
	// TraceParent is the W3C traceparent, e.g.
	// 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.
	TraceParent string `json:"traceparent,omitempty"`
	// TraceState is the W3C tracestate, e.g. congo=t61rcWkgMzE.
	TraceState string `json:"tracestate,omitempty"`
}

var _ propagation.TextMapCarrier = (*TraceContext)(nil)

// IsZero reports whether tc has neither a traceparent nor a tracestate.
func (tc TraceContext) IsZero() bool { return tc.TraceParent == "" && tc.TraceState == "" }

// SpanContext parses tc into a remote span context. ok is false when the
// traceparent is missing or invalid; an invalid or over-limit tracestate is
// dropped and the traceparent still used, as W3C Trace Context requires.
func (tc TraceContext) SpanContext() (sc trace.SpanContext, ok bool) {
	return w3c.SpanContextFromStrings(tc.TraceParent, tc.TraceState)
}

// InjectHeader writes tc into h in normalised form: it replaces every existing
// traceparent and tracestate header, and removes tracestate when there is
// none to write. When an otelkit propagator with configured tracestate members
// is the OpenTelemetry global (see [Capture]), those members are merged into
// the tracestate, as for every other outgoing tracestate; otherwise tc's
// tracestate is written as it is (dropped when invalid). It returns false,
// leaving h unchanged, when the traceparent is invalid or h is nil. CR, LF
// and other bytes not allowed in header values can never be written.
func (tc TraceContext) InjectHeader(h http.Header) bool {
	sc, ok := tc.SpanContext()
	if !ok || h == nil {
		return false
	}
	defaultTraceContextProp().Inject(trace.ContextWithRemoteSpanContext(noCtx, sc), propagation.HeaderCarrier(h))
	return true
}

// Environ returns tc as TRACEPARENT and TRACESTATE environment entries
// ("KEY=value", normalised) for a child process, which can continue the trace
// with [ContextFromEnv]. It is nil when the traceparent is invalid; TRACESTATE
// is left out when there is no valid tracestate.
func (tc TraceContext) Environ() []string {
	sc, ok := tc.SpanContext()
	if !ok {
		return nil
	}
	env := []string{EnvTraceParent + "=" + w3c.FormatTraceParent(sc)}
	if ts := sc.TraceState().String(); ts != "" {
		env = append(env, EnvTraceState+"="+ts)
	}
	return env
}

// Get returns the traceparent or tracestate for the key (case-insensitive),
// or "".
func (tc *TraceContext) Get(key string) string {
	if tc == nil {
		return ""
	}
	switch {
	case strings.EqualFold(key, TraceParentHeader):
		return tc.TraceParent
	case strings.EqualFold(key, TraceStateHeader):
		return tc.TraceState
	}
	return ""
}

// Set stores the traceparent or tracestate for the key (case-insensitive);
// other keys, such as baggage, are ignored.
func (tc *TraceContext) Set(key, value string) {
	if tc == nil {
		return
	}
	switch {
	case strings.EqualFold(key, TraceParentHeader):
		tc.TraceParent = value
	case strings.EqualFold(key, TraceStateHeader):
		tc.TraceState = value
	}
}

// Delete clears the traceparent or tracestate for the key (case-insensitive),
// so that injecting into a reused value leaves no stale tracestate.
func (tc *TraceContext) Delete(key string) { tc.Set(key, "") }

// Keys returns the keys that have a value.
func (tc *TraceContext) Keys() []string {
	if tc == nil {
		return nil
	}
	keys := make([]string, 0, 2)
	if tc.TraceParent != "" {
		keys = append(keys, TraceParentHeader)
	}
	if tc.TraceState != "" {
		keys = append(keys, TraceStateHeader)
	}
	return keys
}
