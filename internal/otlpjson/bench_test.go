package otlpjson

import (
	"encoding/binary"
	"strconv"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// benchRequest builds a request of n typical server spans: ids, times,
// eight attributes of mixed types, one event and a status.
func benchRequest(n int) *coltracepb.ExportTraceServiceRequest {
	spans := make([]*tracepb.Span, n)
	for i := range spans {
		id := make([]byte, 8)
		binary.BigEndian.PutUint64(id, uint64(i+1))
		spans[i] = &tracepb.Span{
			TraceId: traceID, SpanId: id, ParentSpanId: parentID, Name: "GET /orders/{id}",
			Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: 1700000000000000000 + uint64(i), EndTimeUnixNano: 1700000000001000000 + uint64(i),
			Flags: 0x301,
			Attributes: []*commonpb.KeyValue{
				kv("http.request.method", strVal("GET")), kv("http.route", strVal("/orders/{id}")),
				kv("http.response.status_code", intVal(200)), kv("url.path", strVal("/orders/"+strconv.Itoa(i))),
				kv("server.address", strVal("api.example.com")), kv("server.port", intVal(443)),
				kv("user_agent.original", strVal("Mozilla/5.0 (X11; Linux x86_64)")),
				kv("sampled", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}),
			},
			Events: []*tracepb.Span_Event{{TimeUnixNano: 1700000000000500000, Name: "cache.miss", Attributes: []*commonpb.KeyValue{kv("key", strVal("order:1"))}}},
			Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_OK},
		}
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource:   &resourcepb.Resource{Attributes: []*commonpb.KeyValue{kv("service.name", strVal("checkout"))}},
		ScopeSpans: []*tracepb.ScopeSpans{{Scope: &commonpb.InstrumentationScope{Name: "otelhttp", Version: "0.72.0"}, Spans: spans}},
	}}}
}

func BenchmarkEncode512Spans(b *testing.B) {
	req := benchRequest(512)
	b.Run("AppendTraces", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = AppendTraces(buf[:0], req)
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("AppendTraces/fresh buffer", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(AppendTraces(nil, req))
		}
		b.SetBytes(int64(n))
	})
	b.Run("protojson.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			out, err := protojson.Marshal(req)
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		}
		b.SetBytes(int64(n))
	})
	b.Run("proto.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			out, err := proto.Marshal(req)
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		}
		b.SetBytes(int64(n))
	})
}

func BenchmarkUnmarshal512Spans(b *testing.B) {
	data := AppendTraces(nil, benchRequest(512))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var m coltracepb.ExportTraceServiceRequest
		if err := Unmarshal(data, &m, true); err != nil {
			b.Fatal(err)
		}
	}
}
