package otlpproto_test

import (
	"bytes"
	"fmt"

	"github.com/otelkit/otelkit/internal/otlpproto"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func spanRequest(name string) *coltracepb.ExportTraceServiceRequest {
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{
			SpanId: []byte{0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74},
			Name:   name,
			Kind:   tracepb.Span_SPAN_KIND_SERVER,
		}}}},
	}}}
}

func ExampleAppendTraces() {
	req := spanRequest("GET /orders/{id}")
	b := otlpproto.AppendTraces(nil, req)
	want, err := proto.Marshal(req)
	fmt.Println(bytes.Equal(b, want), err)
	fmt.Printf("%x\n", b)
	// Output:
	// true <nil>
	// 0a221220121e1208eee19b7ec3c1b1742a10474554202f6f72646572732f7b69647d3002
}

// An Encoder reused with a reused buffer encodes without allocating. Invalid
// UTF-8, which proto.Marshal rejects, is written with U+FFFD in its place.
func ExampleEncoder() {
	var enc otlpproto.Encoder // one per goroutine, or pooled
	var buf []byte
	for _, name := range []string{"checkout", "bad \xff name"} {
		req := spanRequest(name)
		_, err := proto.Marshal(req)
		buf = enc.AppendTraces(buf[:0], req)

		var back coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(buf, &back); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("proto.Marshal error: %v; ours: %d bytes, name %q\n",
			err != nil, len(buf), back.ResourceSpans[0].ScopeSpans[0].Spans[0].Name)
	}
	// Output:
	// proto.Marshal error: false; ours: 28 bytes, name "checkout"
	// proto.Marshal error: true; ours: 32 bytes, name "bad � name"
}
