package w3c_test

import (
	"context"
	"fmt"
	"net/http"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// The root package validates configured tracestate at construction and builds
// the provider's propagator from OTEL_PROPAGATORS-style names.
func ExamplePropagators() {
	configured := map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
	if err := w3c.ValidateConfigured(configured); err != nil {
		fmt.Println(err)
		return
	}
	prop, err := w3c.Propagators([]string{"tracecontext", "baggage"}, configured)
	if err != nil {
		fmt.Println(err)
		return
	}

	in := http.Header{}
	in.Set("traceparent", "00-00000000000000000000000000000001-0000000000000002-01")
	in.Set("tracestate", "example=alpha:zero;keep:yes,other=value")
	ctx := prop.Extract(context.Background(), propagation.HeaderCarrier(in))
	fmt.Println(trace.SpanContextFromContext(ctx).TraceID())

	out := http.Header{}
	prop.Inject(ctx, propagation.HeaderCarrier(out))
	fmt.Println(out.Get("tracestate"))
	// Output:
	// 00000000000000000000000000000001
	// example=alpha:one;keep:yes;beta:two,other=value
}

func ExampleValidateConfigured() {
	err := w3c.ValidateConfigured(map[string]map[string]string{"example": {"alpha": "one\ntwo"}})
	fmt.Println(err)
	// Output:
	// invalid configured tracestate value for member "example" field "alpha": byte 0x0a at offset 3 is not allowed (printable ASCII except ',' ';' '=')
}

func ExamplePropagators_unsupported() {
	_, err := w3c.Propagators([]string{"b3"}, nil)
	fmt.Println(err)
	// Output:
	// unsupported propagator "b3": otelkit propagates W3C context only (supported: "tracecontext", "baggage", "none")
}
