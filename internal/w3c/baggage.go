package w3c

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
)

// W3C Baggage limits enforced on inbound baggage. Inbound baggage over either
// limit is dropped entirely.
const (
	// MaxBaggageMembers is the most list members inbound baggage may have.
	MaxBaggageMembers = 64
	// MaxBaggageBytes is the most bytes inbound baggage may have, across all
	// baggage headers and the commas that would join them.
	MaxBaggageBytes = 8192
)

// baggagePropagator is the W3C baggage propagator with strict inbound limits.
type baggagePropagator struct{}

var _ propagation.TextMapPropagator = baggagePropagator{}

// Baggage returns a W3C baggage propagator. Inject is the OpenTelemetry
// baggage propagator's. Extract combines every baggage header and drops the
// baggage entirely, with no error and no panic, when it has more than
// [MaxBaggageMembers] members or more than [MaxBaggageBytes] bytes; within the
// limits, invalid members are skipped as the OpenTelemetry parser does, and
// nothing is reported to the global error handler.
func Baggage() propagation.TextMapPropagator { return baggagePropagator{} }

// Inject implements propagation.TextMapPropagator.
func (baggagePropagator) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	if carrier == nil {
		return
	}
	propagation.Baggage{}.Inject(ctx, carrier)
}

// Extract implements propagation.TextMapPropagator.
func (baggagePropagator) Extract(parent context.Context, carrier propagation.TextMapCarrier) context.Context {
	bag, ok := ParseBaggage(getValues(carrier, BaggageHeader, new([1]string)))
	if !ok || bag.Len() == 0 {
		return parent
	}
	return baggage.ContextWithBaggage(parent, bag)
}

// Fields implements propagation.TextMapPropagator.
func (baggagePropagator) Fields() []string { return []string{BaggageHeader} }

// ParseBaggage parses the values of one or more baggage headers, combined in
// order. ok is false when the combination exceeds [MaxBaggageMembers] or
// [MaxBaggageBytes]; otherwise invalid members are skipped.
func ParseBaggage(values []string) (baggage.Baggage, bool) {
	if len(values) == 0 {
		return baggage.Baggage{}, true
	}
	total, members := 0, 0
	for i, v := range values {
		if i > 0 {
			total++ // the comma joining the headers
		}
		total += len(v)
		if total > MaxBaggageBytes {
			return baggage.Baggage{}, false
		}
		if members += countMembers(v); members > MaxBaggageMembers {
			return baggage.Baggage{}, false
		}
	}
	if members == 0 {
		return baggage.Baggage{}, true
	}
	s := values[0]
	if len(values) > 1 {
		s = strings.Join(values, ",")
	}
	bag, _ := baggage.Parse(s) // partial result on invalid members, like otel
	return bag, true
}

// countMembers counts the comma-separated entries of v that are not blank.
func countMembers(v string) int {
	n := 0
	blank := true
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ',':
			if !blank {
				n++
			}
			blank = true
		case !isOWS(c):
			blank = false
		}
	}
	if !blank {
		n++
	}
	return n
}
