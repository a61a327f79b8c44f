package w3c

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestPropagators(t *testing.T) {
	tests := []struct {
		name       string
		names      []string
		configured map[string]map[string]string
		wantFields []string // sorted
		wantErr    string
	}{
		{name: "empty means tracecontext and baggage", names: nil, wantFields: []string{"baggage", "traceparent", "tracestate"}},
		{name: "blank names ignored", names: []string{"", " "}, wantFields: []string{"baggage", "traceparent", "tracestate"}},
		{name: "tracecontext", names: []string{"tracecontext"}, wantFields: []string{"traceparent", "tracestate"}},
		{name: "baggage", names: []string{"baggage"}, wantFields: []string{"baggage"}},
		{name: "both trimmed and mixed case", names: []string{" TraceContext ", "BAGGAGE"}, wantFields: []string{"baggage", "traceparent", "tracestate"}},
		{name: "duplicates once", names: []string{"tracecontext", "tracecontext"}, wantFields: []string{"traceparent", "tracestate"}},
		{name: "none", names: []string{"none"}, wantFields: []string{}},
		{name: "none with others", names: []string{"none", "baggage"}, wantErr: `"none" cannot be combined`},
		{name: "b3", names: []string{"tracecontext", "b3"}, wantErr: `unsupported propagator "b3": otelkit propagates W3C context only (supported: "tracecontext", "baggage", "none")`},
		{name: "b3multi", names: []string{"b3multi"}, wantErr: `unsupported propagator "b3multi"`},
		{name: "jaeger", names: []string{"jaeger"}, wantErr: `unsupported propagator "jaeger"`},
		{name: "xray", names: []string{"xray"}, wantErr: `unsupported propagator "xray"`},
		{name: "ottrace", names: []string{"ottrace"}, wantErr: `unsupported propagator "ottrace"`},
		{name: "unknown", names: []string{"zipkin"}, wantErr: `unsupported propagator "zipkin": unknown propagator (supported:`},
		{name: "invalid configured", configured: map[string]map[string]string{"example": {"alpha": "a\nb"}}, wantErr: `configured tracestate value for member "example" field "alpha"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Propagators(tt.names, tt.configured)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Propagators error = %v, want it to contain %q", err, tt.wantErr)
				}
				if !errors.Is(err, ErrUnsupportedPropagator) && !errors.Is(err, ErrInvalidTraceState) {
					t.Errorf("error %v wraps neither sentinel", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := p.Fields()
			slices.Sort(got)
			if !slices.Equal(got, tt.wantFields) {
				t.Errorf("Fields = %q, want %q", got, tt.wantFields)
			}
		})
	}
}

func TestPropagatorsEndToEnd(t *testing.T) {
	p, err := Propagators([]string{"tracecontext", "baggage"}, map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}})
	if err != nil {
		t.Fatal(err)
	}
	in := headers("traceparent", specTP, "tracestate", "example=alpha:zero;keep:yes,other=value", "baggage", "user=alice")
	ctx := p.Extract(context.Background(), propagation.HeaderCarrier(in))
	if !trace.SpanContextFromContext(ctx).IsRemote() {
		t.Fatal("no remote span context")
	}
	if got := baggage.FromContext(ctx).Member("user").Value(); got != "alice" {
		t.Errorf("baggage user = %q", got)
	}
	out := http.Header{}
	p.Inject(ctx, propagation.HeaderCarrier(out))
	if got, want := out.Get("tracestate"), "example=alpha:one;keep:yes;beta:two,other=value"; got != want {
		t.Errorf("tracestate = %q, want %q", got, want)
	}
	if got := out.Get("baggage"); got != "user=alice" {
		t.Errorf("baggage = %q", got)
	}
	none, err := Propagators([]string{"none"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ctx := none.Extract(context.Background(), propagation.HeaderCarrier(in)); trace.SpanContextFromContext(ctx).IsValid() {
		t.Error(`"none" extracted a span context`)
	}
}
