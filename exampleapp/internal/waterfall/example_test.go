package waterfall_test

import (
	"fmt"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
)

func Example() {
	traceID := []byte{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	const t0 = 1_700_000_000_000_000_000
	spans := []*tracepb.Span{
		{
			TraceId: traceID, SpanId: []byte{0, 0, 0, 0, 0, 0, 0, 2}, ParentSpanId: []byte{0, 0, 0, 0, 0, 0, 0, 1},
			Name: "SELECT users", Kind: tracepb.Span_SPAN_KIND_CLIENT,
			StartTimeUnixNano: t0 + 1_000_000, EndTimeUnixNano: t0 + 3_000_000,
		},
		{
			TraceId: traceID, SpanId: []byte{0, 0, 0, 0, 0, 0, 0, 1},
			Name: "GET /users/{id}", Kind: tracepb.Span_SPAN_KIND_SERVER,
			StartTimeUnixNano: t0, EndTimeUnixNano: t0 + 4_000_000,
		},
	}
	fmt.Print(waterfall.Render(spans, waterfall.Options{BarWidth: 16}))
	// Output:
	// trace 4bf92f3577b34da6a3ce929d0e0e4736  GET /users/{id}  2 spans  4.00ms
	// GET /users/{id}  server  |################|   4.00ms
	//   SELECT users   client  |    ########    |   2.00ms
}

func ExampleFormatDuration() {
	fmt.Println(waterfall.FormatDuration(850), waterfall.FormatDuration(12_345_000), waterfall.FormatDuration(1_240_000_000))
	// Output: 850ns 12.3ms 1.24s
}
