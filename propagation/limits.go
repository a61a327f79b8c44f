package propagation

import "github.com/otelkit/otelkit/internal/w3c"

// Limits applied to inbound headers. Over a limit, the header is dropped.
const (
	// MaxTraceStateMembers is the most list members an inbound tracestate may
	// have.
	MaxTraceStateMembers = w3c.MaxTraceStateMembers
	// MaxTraceStateBytes is the most bytes an inbound tracestate may have
	// (members and commas, without optional white space).
	MaxTraceStateBytes = w3c.MaxTraceStateBytes
	// MaxBaggageMembers is the most members inbound baggage may have.
	MaxBaggageMembers = w3c.MaxBaggageMembers
	// MaxBaggageBytes is the most bytes inbound baggage may have, across all
	// baggage headers.
	MaxBaggageBytes = w3c.MaxBaggageBytes
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrInvalidTraceState is wrapped by errors about configured tracestate
	// members (see [WithTraceState] and [ValidateTraceState]). It is the same
	// value the root package's provider construction wraps.
	ErrInvalidTraceState = w3c.ErrInvalidTraceState
	// ErrUnsupportedPropagator is wrapped by errors about OTEL_PROPAGATORS
	// values other than tracecontext, baggage and none.
	ErrUnsupportedPropagator = w3c.ErrUnsupportedPropagator
	// ErrInvalidPeer is wrapped by [ParseTrustedPeers] errors.
	ErrInvalidPeer = errorString("invalid trusted peer")
	// ErrInvalidEnv is wrapped by the warning [ContextFromEnv] reports when
	// TRACEPARENT or TRACESTATE is set but invalid.
	ErrInvalidEnv = errorString("invalid trace context in environment")
)

// errorString is a constant-friendly error type for sentinels.
type errorString string

func (e errorString) Error() string { return string(e) }

// ValidateTraceState checks configured tracestate members (member key → field
// key → value) as provider construction does; the error wraps
// [ErrInvalidTraceState] and names the member and field.
func ValidateTraceState(members map[string]map[string]string) error {
	return w3c.ValidateConfigured(members)
}
