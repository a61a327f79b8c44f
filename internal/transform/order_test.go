package transform

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/proto"
)

// TestResourceLogsOrder checks what the SDK exporter leaves to map order:
// resources and scopes come out in order of first appearance, and records
// keep their order within a scope. Records are told apart by severity text.
func TestResourceLogsOrder(t *testing.T) {
	for name, records := range map[string][]sdklog.Record{
		"providers":   providerRecords(t),
		"many groups": manyGroups(t),
	} {
		t.Run(name, func(t *testing.T) {
			type scope struct {
				scope instrumentation.Scope
				ids   []string
			}
			type res struct {
				key    attribute.Distinct
				first  *sdklog.Record
				scopes []*scope
			}
			var want []*res
			for i := range records {
				r := &records[i]
				var rg *res
				for _, g := range want {
					if g.key == r.Resource().Equivalent() {
						rg = g
					}
				}
				if rg == nil {
					rg = &res{key: r.Resource().Equivalent(), first: r}
					want = append(want, rg)
				}
				var sg *scope
				for _, s := range rg.scopes {
					if s.scope == r.InstrumentationScope() {
						sg = s
					}
				}
				if sg == nil {
					sg = &scope{scope: r.InstrumentationScope()}
					rg.scopes = append(rg.scopes, sg)
				}
				sg.ids = append(sg.ids, r.SeverityText())
			}

			got := ResourceLogs(records)
			if len(got) != len(want) {
				t.Fatalf("resources = %d, want %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				wantRes := Resource(w.first.Resource())
				if w.first.Resource().Len() == 0 {
					wantRes = nil
				}
				if !proto.Equal(g.Resource, wantRes) || g.SchemaUrl != w.first.Resource().SchemaURL() {
					t.Fatalf("resource %d = %v (schema %q), want %v (schema %q)",
						i, g.Resource, g.SchemaUrl, wantRes, w.first.Resource().SchemaURL())
				}
				if len(g.ScopeLogs) != len(w.scopes) {
					t.Fatalf("resource %d: scopes = %d, want %d", i, len(g.ScopeLogs), len(w.scopes))
				}
				for j, ws := range w.scopes {
					gs := g.ScopeLogs[j]
					if gs.GetScope().GetName() != ws.scope.Name || gs.GetScope().GetVersion() != ws.scope.Version {
						t.Errorf("resource %d scope %d = %v, want %q %q", i, j, gs.Scope, ws.scope.Name, ws.scope.Version)
					}
					ids := make([]string, len(gs.LogRecords))
					for k, lr := range gs.LogRecords {
						ids[k] = lr.SeverityText
					}
					if strings.Join(ids, ",") != strings.Join(ws.ids, ",") {
						t.Errorf("resource %d scope %d records = %v, want %v", i, j, ids, ws.ids)
					}
				}
			}
		})
	}
}

// TestProviderRecordsCoverage guards the fixture: the SDK comparison proves
// something only if the records hold every case they are meant to.
func TestProviderRecordsCoverage(t *testing.T) {
	out := ResourceLogs(providerRecords(t))
	if len(out) != 3 {
		t.Errorf("resources = %d, want 3 (A, B, empty; A under two pointers is one)", len(out))
	}
	seen := map[string]bool{}
	mark := func(cond bool, what string) {
		if cond {
			seen[what] = true
		}
	}
	for _, rl := range out {
		mark(rl.Resource == nil, "no resource")
		for _, sl := range rl.ScopeLogs {
			mark(len(sl.GetScope().GetAttributes()) > 0, "scope attributes")
			mark(sl.GetScope().GetName() == "", "empty scope name")
			for _, lr := range sl.LogRecords {
				mark(true, "severity "+lr.SeverityNumber.String())
				mark(lr.DroppedAttributesCount > 0, "dropped attributes")
				mark(len(lr.TraceId) == 16 && len(lr.SpanId) == 8 && lr.Flags == 1, "sampled trace context")
				mark(len(lr.TraceId) == 16 && len(lr.SpanId) == 0 && lr.Flags == 2, "trace id only")
				mark(lr.EventName != "", "event name")
				mark(lr.TimeUnixNano == 0, "zero timestamp")
				mark(lr.ObservedTimeUnixNano == 0, "pre-epoch observed timestamp")
				mark(len(lr.Attributes) >= 3, "attributes")
				mark(lr.Body != nil && lr.Body.Value == nil, "empty body")
				switch v := lr.Body.GetValue().(type) {
				case *commonpb.AnyValue_KvlistValue:
					mark(len(v.KvlistValue.Values) > 0, "map body")
				case *commonpb.AnyValue_ArrayValue:
					mark(len(v.ArrayValue.Values) > 0, "slice body")
				case nil:
				default:
					mark(true, typeName(v)+" body")
				}
			}
		}
	}
	want := []string{"no resource", "scope attributes", "empty scope name", "dropped attributes",
		"sampled trace context", "trace id only", "event name", "zero timestamp",
		"pre-epoch observed timestamp", "attributes", "empty body", "map body", "slice body",
		"string body", "int body", "double body", "bool body", "bytes body"}
	for n := range logspb.SeverityNumber_name {
		want = append(want, "severity "+logspb.SeverityNumber(n).String())
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("the fixture lacks %q", w)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *commonpb.AnyValue_StringValue:
		return "string"
	case *commonpb.AnyValue_IntValue:
		return "int"
	case *commonpb.AnyValue_DoubleValue:
		return "double"
	case *commonpb.AnyValue_BoolValue:
		return "bool"
	case *commonpb.AnyValue_BytesValue:
		return "bytes"
	}
	return "other"
}
