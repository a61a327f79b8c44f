package w3c

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

const benchTraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"

func BenchmarkParseTraceParent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, ok := ParseTraceParent(specTP); !ok {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkParseTraceState(b *testing.B) {
	in := []string{benchTraceState}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseTraceState(in); !ok {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkSDKParseTraceState(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := trace.ParseTraceState(benchTraceState); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractInject is one request's worth of propagation over HTTP
// headers: extract the inbound context, inject it into an outbound request.
func BenchmarkExtractInject(b *testing.B) {
	conf := map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
	for _, bc := range []struct {
		name string
		prop propagation.TextMapPropagator
		ts   string
	}{
		{"sdk/traceparent", propagation.TraceContext{}, ""},
		{"ours/traceparent", TraceContext(nil), ""},
		{"sdk/tracestate", propagation.TraceContext{}, benchTraceState},
		{"ours/tracestate", TraceContext(nil), benchTraceState},
		{"ours/tracestate+configured", TraceContext(conf), benchTraceState},
	} {
		b.Run(bc.name, func(b *testing.B) {
			in := http.Header{"Traceparent": {specTP}}
			if bc.ts != "" {
				in["Tracestate"] = []string{bc.ts}
			}
			out := http.Header{}
			b.ReportAllocs()
			for b.Loop() {
				ctx := bc.prop.Extract(context.Background(), propagation.HeaderCarrier(in))
				clear(out)
				bc.prop.Inject(ctx, propagation.HeaderCarrier(out))
			}
			if out.Get("traceparent") != specTP {
				b.Fatalf("traceparent = %q", out.Get("traceparent"))
			}
		})
	}
}
