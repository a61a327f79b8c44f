package transform

import (
	"math"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	"google.golang.org/protobuf/proto"
)

func str(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

func i64(n int64) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: n}}
}

func arr(vs ...*commonpb.AnyValue) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: vs}}}
}

func kvl(kvs ...*commonpb.KeyValue) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: kvs}}}
}

func kv(k string, v *commonpb.AnyValue) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: v}
}

func TestValue(t *testing.T) {
	tests := []struct {
		name string
		in   attribute.Value
		want *commonpb.AnyValue
	}{
		{"empty", attribute.Value{}, &commonpb.AnyValue{}},
		{"string", attribute.StringValue("s"), str("s")},
		{"int", attribute.Int64Value(math.MinInt64), i64(math.MinInt64)},
		{"float", attribute.Float64Value(-0.5), &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: -0.5}}},
		{"bool", attribute.BoolValue(false), &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: false}}},
		{"bytes", attribute.ByteSliceValue([]byte{1, 2}), &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{1, 2}}}},
		{"strings", attribute.StringSliceValue([]string{"a", "b"}), arr(str("a"), str("b"))},
		{"ints", attribute.Int64SliceValue([]int64{3}), arr(i64(3))},
		{"empty slice", attribute.SliceValue(), arr()},
		{"nested", attribute.SliceValue(attribute.Value{}, attribute.MapValue(attribute.Slice("l", attribute.StringValue("x")))),
			arr(&commonpb.AnyValue{}, kvl(kv("l", arr(str("x")))))},
		{"map sorted by key", attribute.MapValue(attribute.Int("b", 2), attribute.String("a", "1")),
			kvl(kv("a", str("1")), kv("b", i64(2)))},
		{"empty map", attribute.MapValue(), kvl()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Value(tt.in)
			if !proto.Equal(got, tt.want) {
				t.Errorf("Value() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKeyValues(t *testing.T) {
	if got := KeyValues(nil); got != nil {
		t.Errorf("KeyValues(nil) = %v, want nil", got)
	}
	got := KeyValues([]attribute.KeyValue{attribute.String("z", "1"), attribute.Int("a", 2), attribute.String("z", "3")})
	want := []*commonpb.KeyValue{kv("z", str("1")), kv("a", i64(2)), kv("z", str("3"))}
	if len(got) != len(want) || cap(got) != len(got) {
		t.Fatalf("KeyValues len %d cap %d, want %d", len(got), cap(got), len(want))
	}
	for i := range want {
		if !proto.Equal(got[i], want[i]) {
			t.Errorf("KeyValues()[%d] = %v, want %v (order kept, duplicates kept)", i, got[i], want[i])
		}
	}
}

func TestResourceAndScope(t *testing.T) {
	if got := Resource(nil); got == nil || len(got.Attributes) != 0 {
		t.Errorf("Resource(nil) = %v, want an empty, non-nil resource", got)
	}
	res := resource.NewWithAttributes("https://s", attribute.String("b", "2"), attribute.String("a", "1"))
	want := &resourcepb.Resource{Attributes: []*commonpb.KeyValue{kv("a", str("1")), kv("b", str("2"))}}
	if got := Resource(res); !proto.Equal(got, want) {
		t.Errorf("Resource() = %v, want %v", got, want)
	}

	if got := Scope(instrumentation.Scope{}); got == nil || !proto.Equal(got, &commonpb.InstrumentationScope{}) {
		t.Errorf("Scope(zero) = %v, want an empty, non-nil scope", got)
	}
	s := instrumentation.Scope{Name: "n", Version: "v", SchemaURL: "https://s", Attributes: attribute.NewSet(attribute.Bool("x", true))}
	wantScope := &commonpb.InstrumentationScope{Name: "n", Version: "v", Attributes: []*commonpb.KeyValue{
		kv("x", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}),
	}}
	if got := Scope(s); !proto.Equal(got, wantScope) {
		t.Errorf("Scope() = %v, want %v", got, wantScope)
	}
}

func TestSeverityNumber(t *testing.T) {
	for s := log.Severity(-2); s <= 27; s++ {
		want := logspb.SeverityNumber(s)
		if s < 1 || s > 24 {
			want = logspb.SeverityNumber_SEVERITY_NUMBER_UNSPECIFIED
		}
		if got := severityNumber(s); got != want {
			t.Errorf("severityNumber(%d) = %v, want %v", s, got, want)
		}
	}
	if severityNumber(log.SeverityFatal4) != logspb.SeverityNumber_SEVERITY_NUMBER_FATAL4 ||
		severityNumber(log.SeverityTrace1) != logspb.SeverityNumber_SEVERITY_NUMBER_TRACE {
		t.Error("severity ends do not map to TRACE and FATAL4")
	}
}

func TestClampUint32(t *testing.T) {
	for in, want := range map[int64]uint32{-1: 0, 0: 0, 7: 7, math.MaxUint32: math.MaxUint32, math.MaxUint32 + 1: math.MaxUint32} {
		if int64(int(in)) != in {
			continue // Not an int on this platform.
		}
		if got := clampUint32(int(in)); got != want {
			t.Errorf("clampUint32(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestSlabGrowsPastReservation(t *testing.T) {
	var s slab[int]
	s.reserve(2)
	a, b := s.new(), s.new()
	c := s.new() // Past the reservation: a new chunk.
	*a, *b, *c = 1, 2, 3
	if *a != 1 || *b != 2 || *c != 3 {
		t.Fatalf("values clobbered: %d %d %d", *a, *b, *c)
	}
	if got := s.make(0); got != nil {
		t.Errorf("make(0) = %v, want nil", got)
	}
	big := s.make(100)
	if len(big) != 100 || cap(big) != 100 {
		t.Errorf("make(100): len %d cap %d", len(big), cap(big))
	}
}
