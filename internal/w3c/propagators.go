package w3c

import (
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/propagation"
)

// ErrUnsupportedPropagator is wrapped by the error [Propagators] returns for a
// propagator name it does not build.
var ErrUnsupportedPropagator = errors.New("unsupported propagator")

// Propagator names accepted by [Propagators] (OTEL_PROPAGATORS values).
const (
	NameTraceContext = "tracecontext"
	NameBaggage      = "baggage"
	NameNone         = "none"
)

// supportedNames is listed in errors.
const supportedNames = `"tracecontext", "baggage", "none"`

// knownUnsupported are OTEL_PROPAGATORS values defined by the OpenTelemetry
// specification that this kit deliberately does not build.
var knownUnsupported = map[string]bool{
	"b3": true, "b3multi": true, "jaeger": true, "xray": true, "ottrace": true,
}

// Propagators builds the composite propagator named by OTEL_PROPAGATORS-style
// names, in order: "tracecontext" ([TraceContext] with configured members),
// "baggage" ([Baggage]) and "none" (no propagation). Names are trimmed and
// compared case-insensitively; empty names are ignored and duplicates are
// used once. No names at all means "tracecontext,baggage". "none" cannot be
// combined with other names. Other names (b3, b3multi, jaeger, xray, ottrace
// or unknown ones) give an error wrapping [ErrUnsupportedPropagator] that
// names the value and lists what is supported. configured is validated with
// [ValidateConfigured].
func Propagators(names []string, configured map[string]map[string]string) (propagation.TextMapPropagator, error) {
	conf, err := buildConfigured(configured)
	if err != nil {
		return nil, err
	}
	var (
		props []propagation.TextMapPropagator
		seen  = make(map[string]bool, len(names))
		none  bool
	)
	for _, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		switch name {
		case NameTraceContext:
			props = append(props, &traceContext{conf: conf})
		case NameBaggage:
			props = append(props, Baggage())
		case NameNone:
			none = true
		default:
			if knownUnsupported[name] {
				return nil, fmt.Errorf("%w %q: otelkit propagates W3C context only (supported: %s)",
					ErrUnsupportedPropagator, raw, supportedNames)
			}
			return nil, fmt.Errorf("%w %q: unknown propagator (supported: %s)", ErrUnsupportedPropagator, raw, supportedNames)
		}
	}
	switch {
	case none && len(props) > 0:
		return nil, fmt.Errorf("%w: %q cannot be combined with other propagators", ErrUnsupportedPropagator, NameNone)
	case none:
		return composite{}, nil
	case len(props) == 0:
		props = []propagation.TextMapPropagator{&traceContext{conf: conf}, Baggage()}
	}
	if len(props) == 1 {
		return props[0], nil
	}
	return composite(props), nil
}
