package console_test

import (
	"os"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/console"
	"github.com/otelkit/otelkit/otlptest"
)

// A Console receives what an otlptest server decodes (otlptest.WithOnExport(c.Export)) and prints it.
func Example() {
	c := console.New(os.Stdout)
	tid := []byte{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	c.Export(otlptest.Export{Signal: otlptest.SignalTraces, Traces: &coltracepb.ExportTraceServiceRequest{
		ResourceSpans: []*tracepb.ResourceSpans{{ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{
			TraceId: tid, SpanId: []byte{1, 2, 3, 4, 5, 6, 7, 8}, Name: "GET /healthz", Kind: tracepb.Span_SPAN_KIND_SERVER,
			StartTimeUnixNano: 1_000_000, EndTimeUnixNano: 1_250_000,
		}}}}}},
	}})
	c.Close() // prints what is still held
	// Output:
	// trace 4bf92f3577b34da6a3ce929d0e0e4736  GET /healthz  1 span  250us
	// GET /healthz  server  |########################|    250us
}
