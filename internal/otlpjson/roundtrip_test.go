package otlpjson

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

type fixture struct {
	name string
	msg  proto.Message
}

func fixtures() []fixture {
	return []fixture{
		{"traces", richTraces()},
		{"metrics", richMetrics()},
		{"logs", richLogs()},
		{"empty traces", &coltracepb.ExportTraceServiceRequest{}},
		{"empty metrics", &colmetricspb.ExportMetricsServiceRequest{}},
		{"empty logs", &collogspb.ExportLogsServiceRequest{}},
		{"trace response", &coltracepb.ExportTraceServiceResponse{}},
		{"trace partial success", &coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "too old"}}},
		{"metrics partial success", &colmetricspb.ExportMetricsServiceResponse{PartialSuccess: &colmetricspb.ExportMetricsPartialSuccess{RejectedDataPoints: -1}}},
		{"logs partial success empty", &collogspb.ExportLogsServiceResponse{PartialSuccess: &collogspb.ExportLogsPartialSuccess{}}},
		{"logs partial success", &collogspb.ExportLogsServiceResponse{PartialSuccess: &collogspb.ExportLogsPartialSuccess{RejectedLogRecords: 9, ErrorMessage: "warn"}}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			data, err := Marshal(fx.msg)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if !json.Valid(data) {
				t.Fatalf("Marshal produced invalid JSON: %s", data)
			}
			for _, strict := range []bool{true, false} {
				got := fx.msg.ProtoReflect().New().Interface()
				if err := Unmarshal(data, got, strict); err != nil {
					t.Fatalf("Unmarshal(strict=%v): %v\n%s", strict, err, data)
				}
				if !proto.Equal(fx.msg, got) {
					t.Fatalf("round trip (strict=%v) differs\nwant %v\ngot  %v\njson %s", strict, fx.msg, got, data)
				}
			}
		})
	}
}

// TestMatchesProtojson checks that the hand-written encoder produces the same
// JSON document as protojson once protojson's base64 ids are converted to hex
// and its enum names to numbers, which are the two OTLP/JSON deviations.
func TestMatchesProtojson(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			ours, err := Marshal(fx.msg)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := protojson.MarshalOptions{UseEnumNumbers: true}.Marshal(fx.msg)
			if err != nil {
				t.Fatal(err)
			}
			want := decodeGeneric(t, ref)
			hexIDs(t, want)
			got := decodeGeneric(t, ours)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("documents differ\nours:      %s\nprotojson: %s", ours, mustJSON(t, want))
			}
		})
	}
}

// decodeGeneric decodes JSON keeping numbers as their exact text.
func decodeGeneric(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}

// hexIDs rewrites base64 id values in a protojson document to hex, in place.
func hexIDs(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			switch k {
			case "traceId", "spanId", "parentSpanId":
				raw, err := base64.StdEncoding.DecodeString(val.(string))
				if err != nil {
					t.Fatalf("%s: %v", k, err)
				}
				x[k] = hex.EncodeToString(raw)
			default:
				hexIDs(t, val)
			}
		}
	case []any:
		for _, e := range x {
			hexIDs(t, e)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAppendExactOutput(t *testing.T) {
	req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: richTraces().ResourceSpans[:1]}
	rs := req.ResourceSpans[0]
	rs.Resource.EntityRefs = nil
	rs.ScopeSpans = rs.ScopeSpans[:1]
	rs.ScopeSpans[0].Spans = rs.ScopeSpans[0].Spans[1:2] // the root span
	rs.ScopeSpans[0].Scope.Attributes = nil
	want := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},` +
		`{"key":"host.name","value":{"stringValue":"h1"}}],"droppedAttributesCount":2},` +
		`"scopeSpans":[{"scope":{"name":"github.com/otelkit/otelkit","version":"v1.2.3","droppedAttributesCount":1},` +
		`"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"root","kind":1,"status":{}}],` +
		`"schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}],"schemaUrl":"https://opentelemetry.io/schemas/1.25.0"}]}`
	prefix := []byte("prefix:")
	got := AppendTraces(prefix, req)
	if string(got) != "prefix:"+want {
		t.Fatalf("got  %s\nwant prefix:%s", got, want)
	}
}

func TestAppendNil(t *testing.T) {
	for name, got := range map[string][]byte{
		"traces":  AppendTraces(nil, nil),
		"metrics": AppendMetrics(nil, nil),
		"logs":    AppendLogs(nil, nil),
	} {
		if string(got) != "{}" {
			t.Errorf("%s: got %s, want {}", name, got)
		}
	}
}

func TestAppendDoesNotAllocate(t *testing.T) {
	tr, me, lo := richTraces(), richMetrics(), richLogs()
	buf := make([]byte, 0, 1<<16)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendTraces(buf[:0], tr)
		buf = AppendMetrics(buf[:0], me)
		buf = AppendLogs(buf[:0], lo)
	})
	if allocs != 0 {
		t.Fatalf("Append* allocated %v times per run into a large enough buffer, want 0", allocs)
	}
}

func TestMarshalUnsupported(t *testing.T) {
	_, err := Marshal(&coltracepb.ExportTracePartialSuccess{})
	if err == nil || err.Error() != "otlpjson: unsupported message type: *v1.ExportTracePartialSuccess" {
		t.Fatalf("got %v", err)
	}
}
