package otelkit

import (
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the proto codec used for everything else
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/otelkit/otelkit/internal/otlpjson"
	"github.com/otelkit/otelkit/internal/otlpproto"
)

// appendRequest appends the wire form of an OTLP export request, OTLP/JSON or protobuf, and reports whether
// msg was one. Both encoders are hand-written (no reflection; protobuf output is byte-identical to
// proto.Marshal's) and write each invalid UTF-8 byte as U+FFFD, where proto.Marshal would fail the whole
// batch: a request always encodes.
func appendRequest(dst []byte, msg proto.Message, json bool) ([]byte, bool) {
	switch m := msg.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		if json {
			return otlpjson.AppendTraces(dst, m), true
		}
		return otlpproto.AppendTraces(dst, m), true
	case *colmetricspb.ExportMetricsServiceRequest:
		if json {
			return otlpjson.AppendMetrics(dst, m), true
		}
		return otlpproto.AppendMetrics(dst, m), true
	case *collogspb.ExportLogsServiceRequest:
		if json {
			return otlpjson.AppendLogs(dst, m), true
		}
		return otlpproto.AppendLogs(dst, m), true
	}
	return dst, false
}

// otlpCodec is gRPC's proto codec with the fast encoder for the three export requests.
type otlpCodec struct{ base encoding.CodecV2 }

func newOTLPCodec() otlpCodec { return otlpCodec{base: encoding.GetCodecV2("proto")} }

func (c otlpCodec) Marshal(v any) (mem.BufferSlice, error) {
	if m, ok := v.(proto.Message); ok {
		if b, ok := appendRequest(nil, m, false); ok {
			return mem.BufferSlice{mem.SliceBuffer(b)}, nil
		}
	}
	return c.base.Marshal(v)
}

func (c otlpCodec) Unmarshal(data mem.BufferSlice, v any) error { return c.base.Unmarshal(data, v) }

func (c otlpCodec) Name() string { return c.base.Name() }
