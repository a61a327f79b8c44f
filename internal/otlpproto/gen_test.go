package otlpproto

import (
	"encoding/binary"
	"math"
	"strings"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// gen builds requests from fuzz input: each decision (a count, a kind, a
// value) consumes input bytes, and an exhausted input reads as zeros, so any
// input builds a finite request. Strings are raw input bytes, often invalid
// UTF-8; nil elements, nil nested messages and typed nil oneof wrappers
// appear too.
type gen struct{ data []byte }

func (g *gen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	c := g.data[0]
	g.data = g.data[1:]
	return c
}

// n returns a count in [0, max].
func (g *gen) n(max int) int { return int(g.byte()) % (max + 1) }

// u64 returns zero, a small value, an extreme or eight input bytes.
func (g *gen) u64() uint64 {
	switch g.byte() % 5 {
	case 0:
		return 0
	case 1:
		return uint64(g.byte())
	case 2:
		return math.MaxUint64 - uint64(g.byte())
	case 3:
		return 1 << (g.byte() % 64)
	}
	var b [8]byte
	for i := range b {
		b[i] = g.byte()
	}
	return binary.LittleEndian.Uint64(b[:])
}

func (g *gen) i32() int32 { return int32(g.u64()) }

func (g *gen) f64() float64 {
	switch g.byte() % 4 {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return math.NaN()
	}
	return math.Float64frombits(g.u64())
}

func (g *gen) optF64() *float64 {
	if g.byte()%2 == 0 {
		return nil
	}
	v := g.f64()
	return &v
}

// str returns up to 15 input bytes, made ASCII unless a mode byte asks for
// them raw (one time in eight, often invalid UTF-8), or sometimes a long
// string so that lengths need two-byte varints.
func (g *gen) str() string {
	n := g.n(16)
	if n == 16 {
		return strings.Repeat(string(rune(0x80+g.n(0x700))), 50) + "\xff"
	}
	raw := g.byte()%8 == 0
	n = min(n, len(g.data))
	b := []byte(string(g.data[:n]))
	g.data = g.data[n:]
	if !raw {
		for i := range b {
			b[i] &= 0x7f
		}
	}
	return string(b)
}

func (g *gen) bytes() []byte {
	switch g.byte() % 3 {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	return []byte(g.str())
}

func list[T any](g *gen, max int, elem func() T) []T {
	n := g.n(max)
	if n == 0 {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = elem()
	}
	return out
}

func (g *gen) anyValue(depth int) *commonpb.AnyValue {
	kind := g.byte() % 12
	if depth > 3 && kind >= 5 && kind <= 6 {
		kind = 0
	}
	switch kind {
	case 0:
		return nil
	case 1:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: g.str()}}
	case 2:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: g.byte()%2 == 1}}
	case 3:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: int64(g.u64())}}
	case 4:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: g.f64()}}
	case 5:
		var a *commonpb.ArrayValue
		if g.byte()%4 != 0 {
			a = &commonpb.ArrayValue{Values: list(g, 4, func() *commonpb.AnyValue { return g.anyValue(depth + 1) })}
		}
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: a}}
	case 6:
		var l *commonpb.KeyValueList
		if g.byte()%4 != 0 {
			l = &commonpb.KeyValueList{Values: g.keyValues(depth + 1)}
		}
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: l}}
	case 7:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: g.bytes()}}
	case 8:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValueStrindex{StringValueStrindex: g.i32()}}
	case 9:
		return &commonpb.AnyValue{Value: (*commonpb.AnyValue_StringValue)(nil)}
	}
	return &commonpb.AnyValue{}
}

func (g *gen) keyValues(depth int) []*commonpb.KeyValue {
	return list(g, 4, func() *commonpb.KeyValue {
		if g.byte()%8 == 0 {
			return nil
		}
		return &commonpb.KeyValue{Key: g.str(), Value: g.anyValue(depth), KeyStrindex: g.i32()}
	})
}

func (g *gen) resource() *resourcepb.Resource {
	if g.byte()%3 == 0 {
		return nil
	}
	return &resourcepb.Resource{
		Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64()),
		EntityRefs: list(g, 2, func() *commonpb.EntityRef {
			return &commonpb.EntityRef{SchemaUrl: g.str(), Type: g.str(), IdKeys: list(g, 2, g.str), DescriptionKeys: list(g, 2, g.str)}
		}),
	}
}

func (g *gen) scope() *commonpb.InstrumentationScope {
	if g.byte()%3 == 0 {
		return nil
	}
	return &commonpb.InstrumentationScope{Name: g.str(), Version: g.str(), Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64())}
}

func (g *gen) traces() *coltracepb.ExportTraceServiceRequest {
	span := func() *tracepb.Span {
		if g.byte()%8 == 0 {
			return nil
		}
		s := &tracepb.Span{
			TraceId: g.bytes(), SpanId: g.bytes(), TraceState: g.str(), ParentSpanId: g.bytes(), Flags: uint32(g.u64()),
			Name: g.str(), Kind: tracepb.Span_SpanKind(g.i32()), StartTimeUnixNano: g.u64(), EndTimeUnixNano: g.u64(),
			Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64()),
			Events: list(g, 2, func() *tracepb.Span_Event {
				return &tracepb.Span_Event{TimeUnixNano: g.u64(), Name: g.str(), Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64())}
			}),
			DroppedEventsCount: uint32(g.u64()),
			Links: list(g, 2, func() *tracepb.Span_Link {
				return &tracepb.Span_Link{TraceId: g.bytes(), SpanId: g.bytes(), TraceState: g.str(), Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64()), Flags: uint32(g.u64())}
			}),
			DroppedLinksCount: uint32(g.u64()),
		}
		if g.byte()%2 == 1 {
			s.Status = &tracepb.Status{Message: g.str(), Code: tracepb.Status_StatusCode(g.i32())}
		}
		return s
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: list(g, 2, func() *tracepb.ResourceSpans {
		return &tracepb.ResourceSpans{Resource: g.resource(), SchemaUrl: g.str(), ScopeSpans: list(g, 2, func() *tracepb.ScopeSpans {
			return &tracepb.ScopeSpans{Scope: g.scope(), Spans: list(g, 4, span), SchemaUrl: g.str()}
		})}
	})}
}

func (g *gen) logs() *collogspb.ExportLogsServiceRequest {
	record := func() *logspb.LogRecord {
		if g.byte()%8 == 0 {
			return nil
		}
		return &logspb.LogRecord{
			TimeUnixNano: g.u64(), ObservedTimeUnixNano: g.u64(), SeverityNumber: logspb.SeverityNumber(g.i32()),
			SeverityText: g.str(), Body: g.anyValue(0), Attributes: g.keyValues(0), DroppedAttributesCount: uint32(g.u64()),
			Flags: uint32(g.u64()), TraceId: g.bytes(), SpanId: g.bytes(), EventName: g.str(),
		}
	}
	return &collogspb.ExportLogsServiceRequest{ResourceLogs: list(g, 2, func() *logspb.ResourceLogs {
		return &logspb.ResourceLogs{Resource: g.resource(), SchemaUrl: g.str(), ScopeLogs: list(g, 2, func() *logspb.ScopeLogs {
			return &logspb.ScopeLogs{Scope: g.scope(), LogRecords: list(g, 4, record), SchemaUrl: g.str()}
		})}
	})}
}

func (g *gen) metrics() *colmetricspb.ExportMetricsServiceRequest {
	return &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: list(g, 2, func() *metricspb.ResourceMetrics {
		return &metricspb.ResourceMetrics{Resource: g.resource(), SchemaUrl: g.str(), ScopeMetrics: list(g, 2, func() *metricspb.ScopeMetrics {
			return &metricspb.ScopeMetrics{Scope: g.scope(), Metrics: list(g, 4, g.metric), SchemaUrl: g.str()}
		})}
	})}
}
