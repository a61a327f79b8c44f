package e2e

import (
	"context"
	"reflect"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelkit/otelkit/otlptest"
)

// scopeName is the instrumentation scope of everything the tests record.
const scopeName = "github.com/otelkit/otelkit/e2e"

// tricky is a string that an OTLP/JSON encoder must escape correctly.
const tricky = "héllo ✓ \"quoted\" \\ back\nslash\t<tag>&\u2028"

// wantSpan is a span the test recorded, as it must arrive.
type wantSpan struct {
	name                    string
	traceID, spanID, parent string
	kind                    tracepb.Span_SpanKind
	attrs                   map[string]any
	statusCode              tracepb.Status_StatusCode
	statusMessage           string
	events                  []string
	linkTraceID, linkSpanID string
	linkAttrs               map[string]any
}

// linked is the remote span context the grandchild links to.
var linked = trace.NewSpanContext(trace.SpanContextConfig{
	TraceID:    trace.TraceID{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c},
	SpanID:     trace.SpanID{0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31},
	TraceFlags: trace.FlagsSampled,
	Remote:     true,
})

// recordTraces records a three-span tree (server → client → internal, with
// an event, a link and an error status) and returns it as it must arrive,
// plus the context of the client span for correlated logs.
func recordTraces(ctx context.Context, tp trace.TracerProvider) ([]wantSpan, context.Context) {
	tr := tp.Tracer(scopeName, trace.WithInstrumentationVersion("1.0.0"))
	rootAttrs := []attribute.KeyValue{
		attribute.String("http.route", "/orders/{id}"),
		attribute.Int64("e2e.int", -42),
		attribute.Int64("e2e.big", 1<<62),
		attribute.Float64("e2e.float", 2.5),
		attribute.Bool("e2e.bool", true),
		attribute.String("e2e.tricky", tricky),
		attribute.StringSlice("e2e.strings", []string{"a", "b", ""}),
		attribute.Int64Slice("e2e.ints", []int64{1, -2, 3}),
		attribute.Float64Slice("e2e.floats", []float64{0.5, -1.25}),
		attribute.BoolSlice("e2e.bools", []bool{true, false}),
	}
	ctx, root := tr.Start(ctx, "GET /orders/{id}", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(rootAttrs...))
	cctx, child := tr.Start(ctx, "e2e.child", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("peer.service", "payments"), attribute.Int("e2e.attempt", 2)))
	child.AddEvent("e2e.event", trace.WithAttributes(attribute.String("e2e.event.key", "v")))
	_, grand := tr.Start(cctx, "e2e.grandchild",
		trace.WithLinks(trace.Link{SpanContext: linked, Attributes: []attribute.KeyValue{attribute.String("e2e.link", "yes")}}))
	grand.SetStatus(codes.Error, "boom: "+tricky)
	grand.End()
	child.End()
	root.End()

	rsc, csc, gsc := root.SpanContext(), child.SpanContext(), grand.SpanContext()
	traceID := rsc.TraceID().String()
	return []wantSpan{
		{
			name: "GET /orders/{id}", traceID: traceID, spanID: rsc.SpanID().String(),
			kind: tracepb.Span_SPAN_KIND_SERVER,
			attrs: map[string]any{
				"http.route": "/orders/{id}", "e2e.int": int64(-42), "e2e.big": int64(1 << 62), "e2e.float": 2.5,
				"e2e.bool": true, "e2e.tricky": tricky,
				"e2e.strings": []any{"a", "b", ""}, "e2e.ints": []any{int64(1), int64(-2), int64(3)},
				"e2e.floats": []any{0.5, -1.25}, "e2e.bools": []any{true, false},
			},
		},
		{
			name: "e2e.child", traceID: traceID, spanID: csc.SpanID().String(), parent: rsc.SpanID().String(),
			kind:   tracepb.Span_SPAN_KIND_CLIENT,
			attrs:  map[string]any{"peer.service": "payments", "e2e.attempt": int64(2)},
			events: []string{"e2e.event"},
		},
		{
			name: "e2e.grandchild", traceID: traceID, spanID: gsc.SpanID().String(), parent: csc.SpanID().String(),
			kind: tracepb.Span_SPAN_KIND_INTERNAL, attrs: map[string]any{},
			statusCode: tracepb.Status_STATUS_CODE_ERROR, statusMessage: "boom: " + tricky,
			linkTraceID: linked.TraceID().String(), linkSpanID: linked.SpanID().String(),
			linkAttrs: map[string]any{"e2e.link": "yes"},
		},
	}, cctx
}

// checkTraces waits for the spans at sink and asserts they arrived intact.
func checkTraces(t *testing.T, sink *otlptest.Server, want []wantSpan, service string) {
	got := sink.WaitSpans(t, len(want), 15*time.Second)
	if len(got) != len(want) {
		t.Fatalf("got %d spans, want %d", len(got), len(want))
	}
	byID := map[string]otlptest.Span{}
	for _, sp := range got {
		byID[sp.SpanID()] = sp
	}
	for _, w := range want {
		sp, ok := byID[w.spanID]
		if !ok {
			t.Errorf("span %q (id %s) did not arrive; got ids %v", w.name, w.spanID, keys(byID))
			continue
		}
		s := sp.Span
		if sp.TraceID() != w.traceID || sp.ParentSpanID() != w.parent {
			t.Errorf("span %q: trace %s parent %q, want trace %s parent %q", w.name, sp.TraceID(), sp.ParentSpanID(), w.traceID, w.parent)
		}
		if s.GetName() != w.name || s.GetKind() != w.kind {
			t.Errorf("span %s: name %q kind %v, want %q %v", w.spanID, s.GetName(), s.GetKind(), w.name, w.kind)
		}
		if a := sp.Attrs(); !reflect.DeepEqual(a, w.attrs) {
			t.Errorf("span %q attributes:\n got %#v\nwant %#v", w.name, a, w.attrs)
		}
		if s.GetStatus().GetCode() != w.statusCode || s.GetStatus().GetMessage() != w.statusMessage {
			t.Errorf("span %q status %v %q, want %v %q", w.name, s.GetStatus().GetCode(), s.GetStatus().GetMessage(), w.statusCode, w.statusMessage)
		}
		var events []string
		for _, e := range s.GetEvents() {
			events = append(events, e.GetName())
			if v := otlptest.AttrMap(e.GetAttributes())["e2e.event.key"]; v != "v" {
				t.Errorf("span %q event %q attribute e2e.event.key = %v, want v", w.name, e.GetName(), v)
			}
		}
		if !reflect.DeepEqual(events, w.events) {
			t.Errorf("span %q events %q, want %q", w.name, events, w.events)
		}
		checkLink(t, w, s.GetLinks())
		if s.GetStartTimeUnixNano() == 0 || s.GetEndTimeUnixNano() < s.GetStartTimeUnixNano() {
			t.Errorf("span %q times start=%d end=%d", w.name, s.GetStartTimeUnixNano(), s.GetEndTimeUnixNano())
		}
		if n := otlptest.ServiceName(sp.Resource); n != service {
			t.Errorf("span %q service.name %q, want %q", w.name, n, service)
		}
		if sp.Scope.GetName() != scopeName || sp.Scope.GetVersion() != "1.0.0" {
			t.Errorf("span %q scope %q %q, want %q 1.0.0", w.name, sp.Scope.GetName(), sp.Scope.GetVersion(), scopeName)
		}
	}
}

func checkLink(t *testing.T, w wantSpan, links []*tracepb.Span_Link) {
	t.Helper()
	if w.linkSpanID == "" {
		if len(links) != 0 {
			t.Errorf("span %q has %d links, want none", w.name, len(links))
		}
		return
	}
	if len(links) != 1 {
		t.Fatalf("span %q has %d links, want 1", w.name, len(links))
	}
	l := links[0]
	if hexID(l.GetTraceId()) != w.linkTraceID || hexID(l.GetSpanId()) != w.linkSpanID {
		t.Errorf("span %q link to %s/%s, want %s/%s", w.name, hexID(l.GetTraceId()), hexID(l.GetSpanId()), w.linkTraceID, w.linkSpanID)
	}
	if a := otlptest.AttrMap(l.GetAttributes()); !reflect.DeepEqual(a, w.linkAttrs) {
		t.Errorf("span %q link attributes %v, want %v", w.name, a, w.linkAttrs)
	}
}
