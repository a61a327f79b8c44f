package otlpjson

import (
	"encoding/json"
	"math"
	"testing"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

func TestAppendString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello", `"hello"`},
		{"empty", "", `""`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"short escapes", "\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"other controls", "\x00\x1f\x01", `"\u0000\u001f\u0001"`},
		{"DEL and html stay raw", "\x7f<>&", "\"\x7f<>&\""},
		{"multi-byte", "héllo wörld 日本 😀", `"héllo wörld 日本 😀"`},
		{"line separators stay raw", "\u2028\u2029", "\"\u2028\u2029\""},
		{"invalid byte", "a\xffb", "\"a\uFFFDb\""},
		{"truncated sequence", "a\xe6\x97", "\"a\uFFFD\uFFFD\""},
		{"surrogate half", "\xed\xa0\x80", "\"\uFFFD\uFFFD\uFFFD\""},
		{"escape after invalid", "\xff\n", "\"\uFFFD\\n\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := appendString([]byte("x"), tt.in)
			if string(got) != "x"+tt.want {
				t.Fatalf("got %q, want %q", got, "x"+tt.want)
			}
			var back string
			if err := json.Unmarshal(got[1:], &back); err != nil {
				t.Fatalf("not valid JSON: %v", err)
			}
		})
	}
}

func TestAppendDoubleMatchesProtojson(t *testing.T) {
	values := []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 123456789, 1e20, 1e21, 1.5e21, 1e-6, 9.99e-7, 1e-7,
		5e-324, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 1e100, 12345.678e-10,
		math.NaN(), math.Inf(1), math.Inf(-1),
	}
	for _, v := range values {
		ref, err := protojson.Marshal(&commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v}})
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		got := appendDouble(nil, v)
		if string(got) != string(want["doubleValue"]) {
			t.Errorf("appendDouble(%v) = %s, protojson writes %s", v, got, want["doubleValue"])
		}
	}
}

func TestAppendIDLengths(t *testing.T) {
	// Ids of a wrong length are still written as hex so that a receiver
	// can name them; the strict decoder then rejects them.
	got := appendIDField([]byte("{"), `"traceId":`, []byte{0xab, 0x01})
	if string(got) != `{"traceId":"ab01"` {
		t.Fatalf("got %s", got)
	}
	if got := appendIDField([]byte("{"), `"traceId":`, nil); string(got) != "{" {
		t.Fatalf("empty id written: %s", got)
	}
}
