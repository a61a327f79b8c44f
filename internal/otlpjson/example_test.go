package otlpjson_test

import (
	"fmt"

	"github.com/otelkit/otelkit/internal/otlpjson"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func ExampleAppendTraces() {
	req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{
			TraceId:           []byte{0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c},
			SpanId:            []byte{0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74},
			Name:              "GET /orders/{id}",
			Kind:              tracepb.Span_SPAN_KIND_SERVER,
			StartTimeUnixNano: 1700000000000000000,
		}}}},
	}}}
	fmt.Println(string(otlpjson.AppendTraces(nil, req)))
	// Output:
	// {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /orders/{id}","kind":2,"startTimeUnixNano":"1700000000000000000"}]}]}]}
}

func ExampleUnmarshal() {
	body := []byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","name":"x"}]}]}]}`)
	var req coltracepb.ExportTraceServiceRequest
	err := otlpjson.Unmarshal(body, &req, true)
	fmt.Println(err)
	// Output:
	// otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].traceId: got 24 characters "W47/95gDgQPSabYzgT/GDA==", want 32 hex digits (this looks like base64; OTLP/JSON ids are hex)
}
