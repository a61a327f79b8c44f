package transform

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func newTracerProvider(t testing.TB, rec *tracetest.SpanRecorder, opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	t.Helper()
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithSpanProcessor(rec),
		sdktrace.WithSampler(sdktrace.AlwaysSample()))...)
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp
}

// providerSpans ends spans through real TracerProviders: several resources
// (one given twice under another pointer and schema URL, one empty, one with
// span limits that drop attributes, events and links), scopes with and
// without version, schema and attributes, every kind and status, local and
// remote parents, trace state, events and links of every attribute kind, a
// pre-epoch start, and spans of different groups interleaved.
func providerSpans(t testing.TB) []sdktrace.ReadOnlySpan {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	resA := func(schema string) *resource.Resource {
		return resource.NewWithAttributes(schema, append(allKinds("res."), attribute.String("service.name", "a"))...)
	}
	tpA := newTracerProvider(t, rec, sdktrace.WithResource(resA("https://opentelemetry.io/schemas/1.26.0")))
	tpA2 := newTracerProvider(t, rec, sdktrace.WithResource(resA("https://example.com/other-schema")))
	tpB := newTracerProvider(t, rec, sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "b"))),
		sdktrace.WithRawSpanLimits(sdktrace.SpanLimits{
			AttributeValueLengthLimit: 4, AttributeCountLimit: 3, EventCountLimit: 2, LinkCountLimit: 1,
			AttributePerEventCountLimit: 2, AttributePerLinkCountLimit: 1,
		}))
	tpEmpty := newTracerProvider(t, rec, sdktrace.WithResource(resource.Empty()))

	tracers := []trace.Tracer{
		tpA.Tracer("github.com/otelkit/otelkit/a", trace.WithInstrumentationVersion("v1.0.0"),
			trace.WithSchemaURL("https://opentelemetry.io/schemas/1.24.0"),
			trace.WithInstrumentationAttributes(allKinds("scope.")...)),
		tpA.Tracer("b"),
		tpA2.Tracer("b"),
		tpA.Tracer("b", trace.WithInstrumentationVersion("v2")),
		tpB.Tracer("b"),
		tpEmpty.Tracer("empty"),
	}

	ts, err := trace.ParseTraceState("vendor=opaque,other=1")
	if err != nil {
		t.Fatal(err)
	}
	remote := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), SpanID: trace.SpanID(spanID), TraceFlags: trace.FlagsSampled,
		TraceState: ts, Remote: true,
	})
	local := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{0xfe, 1}, SpanID: trace.SpanID{0xfe, 2}, TraceFlags: trace.TraceFlags(0x03),
	})
	kinds := []trace.SpanKind{trace.SpanKindUnspecified, trace.SpanKindInternal, trace.SpanKindServer,
		trace.SpanKindClient, trace.SpanKindProducer, trace.SpanKindConsumer}
	early := time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)

	var parent context.Context = context.Background()
	for i := range 30 {
		ctx := context.Background()
		switch i % 3 {
		case 1:
			ctx = trace.ContextWithRemoteSpanContext(ctx, remote)
		case 2:
			ctx = parent // A local parent: the previous span.
		}
		start := t0.Add(time.Duration(i) * time.Millisecond)
		if i%7 == 6 {
			start = early
		}
		opts := []trace.SpanStartOption{trace.WithSpanKind(kinds[i%len(kinds)]), trace.WithTimestamp(start)}
		if i%4 == 0 {
			opts = append(opts, trace.WithAttributes(allKinds("attr.")...),
				trace.WithLinks(trace.Link{SpanContext: local, Attributes: []attribute.KeyValue{attribute.Int("n", i)}},
					trace.Link{SpanContext: remote, Attributes: allKinds("link.")})) // A limit of one link keeps the last.
		}
		if i%4 == 1 {
			opts = append(opts, trace.WithAttributes(attribute.String("k", "1"), attribute.String("k", "2"),
				attribute.String("long", "abcdefgh")))
		}
		ctx, span := tracers[i%len(tracers)].Start(ctx, "span "+strconv.Itoa(i), opts...)
		if i%5 == 0 {
			span.AddEvent("plain")
			span.AddEvent("with attrs", trace.WithTimestamp(t1), trace.WithAttributes(allKinds("event.")...))
			span.AddEvent("third", trace.WithTimestamp(early))
		}
		switch i % 4 {
		case 1:
			span.SetStatus(codes.Ok, "ignored for ok")
		case 2:
			span.SetStatus(codes.Error, "it broke: "+strconv.Itoa(i))
		case 3:
			span.SetStatus(codes.Error, "")
		}
		span.End(trace.WithTimestamp(start.Add(time.Duration(i+1) * time.Microsecond)))
		parent = ctx
	}
	return rec.Ended()
}

// stubSpans are built directly: no resource, the zero scope, zero times, a
// kind and a status code the SDK does not know, an invalid parent, links
// without attributes, and a nil span among them.
func stubSpans() []sdktrace.ReadOnlySpan {
	stubs := tracetest.SpanStubs{
		{Name: "bare"},
		{
			Name: "odd", SpanKind: trace.SpanKind(42), Status: sdktrace.Status{Code: codes.Code(9), Description: "?"},
			SpanContext:       trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID(traceID)}),
			Links:             []sdktrace.Link{{}, {DroppedAttributeCount: -1}},
			Events:            []sdktrace.Event{{Name: "e", DroppedAttributeCount: 3}},
			Attributes:        []attribute.KeyValue{{Key: "invalid", Value: attribute.Value{}}},
			DroppedAttributes: 5, DroppedEvents: 6, DroppedLinks: 7, ChildSpanCount: 2,
			InstrumentationScope: instrumentation.Scope{Name: "only a name"},
		},
		{Name: "empty resource", Resource: resource.Empty(), StartTime: t0, EndTime: t1},
	}
	out := stubs.Snapshots()
	return slices.Insert(out, 1, sdktrace.ReadOnlySpan(nil))
}

// manySpanGroups has more resources and scopes than the linear search handles.
func manySpanGroups(t testing.TB) []sdktrace.ReadOnlySpan {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	var tracers []trace.Tracer
	for i := range 3 * linearMax {
		tp := newTracerProvider(t, rec, sdktrace.WithResource(resource.NewSchemaless(attribute.Int("res", i))))
		for j := range 3 {
			tracers = append(tracers, tp.Tracer("scope."+strconv.Itoa(j)))
		}
	}
	for i := range 5 * len(tracers) {
		_, span := tracers[(i*7)%len(tracers)].Start(context.Background(), "s"+strconv.Itoa(i))
		span.End()
	}
	return rec.Ended()
}

// captureClient is an otlptrace.Client that keeps what the SDK's exporter
// hands it: the SDK's own conversion, not yet encoded.
type captureClient struct{ got []*tracepb.ResourceSpans }

func (*captureClient) Start(context.Context) error { return nil }
func (*captureClient) Stop(context.Context) error  { return nil }
func (c *captureClient) UploadTraces(_ context.Context, rs []*tracepb.ResourceSpans) error {
	c.got = rs
	return nil
}

// sdkSpans exports spans through the official otlptracehttp exporter and
// returns the request body the receiver got.
func sdkSpans(t testing.TB, spans []sdktrace.ReadOnlySpan) []byte {
	t.Helper()
	ctx := context.Background()
	r := newReceiver(t)
	exp, err := otlptracehttp.New(ctx,
		otlptracehttp.WithEndpointURL(r.srv.URL+"/v1/traces"),
		otlptracehttp.WithHTTPClient(r.srv.Client()),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}),
	)
	if err != nil {
		t.Fatalf("otlptracehttp.New: %v", err)
	}
	if err := exp.ExportSpans(ctx, spans); err != nil {
		t.Fatalf("SDK span export: %v", err)
	}
	body := r.next(t)
	if err := exp.Shutdown(ctx); err != nil {
		t.Fatalf("exporter shutdown: %v", err)
	}
	return body
}

func ourSpans(t testing.TB, spans []sdktrace.ReadOnlySpan) []byte {
	t.Helper()
	b, err := proto.Marshal(&coltracepb.ExportTraceServiceRequest{ResourceSpans: ResourceSpans(spans)})
	if err != nil {
		t.Fatalf("encode our spans: %v", err)
	}
	return b
}

func decodeSpans(t testing.TB, b []byte) *coltracepb.ExportTraceServiceRequest {
	t.Helper()
	req := new(coltracepb.ExportTraceServiceRequest)
	if err := proto.Unmarshal(b, req); err != nil {
		t.Fatalf("decode traces request: %v", err)
	}
	return req
}

// sortResourceSpans orders the resources of req, which the SDK exporter sends
// in map order. Resources are distinct, so their encodings tell them apart.
func sortResourceSpans(t testing.TB, req *coltracepb.ExportTraceServiceRequest) {
	t.Helper()
	key := func(rs *tracepb.ResourceSpans) []byte {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&tracepb.ResourceSpans{
			Resource: rs.Resource, SchemaUrl: rs.SchemaUrl,
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	slices.SortStableFunc(req.ResourceSpans, func(a, b *tracepb.ResourceSpans) int { return bytes.Compare(key(a), key(b)) })
}

func TestResourceSpansMatchesSDKExporter(t *testing.T) {
	tests := []struct {
		name  string
		spans func(t testing.TB) []sdktrace.ReadOnlySpan
	}{
		{name: "providers, resources, scopes, kinds, statuses, parents, events, links", spans: providerSpans},
		{name: "stubs", spans: func(testing.TB) []sdktrace.ReadOnlySpan { return stubSpans() }},
		{name: "stubs and provider spans mixed", spans: func(t testing.TB) []sdktrace.ReadOnlySpan {
			s := stubSpans()
			return append(append(append([]sdktrace.ReadOnlySpan{}, s[:2]...), providerSpans(t)...), s[2:]...)
		}},
		{name: "one span", spans: func(t testing.TB) []sdktrace.ReadOnlySpan { return providerSpans(t)[:1] }},
		{name: "more groups than the linear search", spans: manySpanGroups},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := tt.spans(t)
			sdkBody, ourBody := sdkSpans(t, spans), ourSpans(t, spans)
			sdk, ours := decodeSpans(t, sdkBody), decodeSpans(t, ourBody)
			if len(ours.ResourceSpans) != len(sdk.ResourceSpans) {
				t.Fatalf("resources: ours %d, SDK %d", len(ours.ResourceSpans), len(sdk.ResourceSpans))
			}
			sortResourceSpans(t, sdk)
			sortResourceSpans(t, ours)
			requireEqual(t, sdk, ours)
			if len(sdk.ResourceSpans) == 1 { // No map order to undo: the bytes must match.
				requireSameBytes(t, sdkBody, ourBody)
			}
		})
	}
}

// TestResourceSpansMatchesSDKTransform compares the unencoded messages too,
// where a nil and an empty message or list would still tell apart.
func TestResourceSpansMatchesSDKTransform(t *testing.T) {
	all := providerSpans(t)
	var spans []sdktrace.ReadOnlySpan // One resource (A, under two pointers): no map order.
	for _, s := range all {
		if s.Resource().Equivalent() == all[0].Resource().Equivalent() {
			spans = append(spans, s)
		}
	}
	if len(spans) < 10 || all[0].Resource().Len() < 10 {
		t.Fatalf("%d spans with resource A", len(spans))
	}
	c := new(captureClient)
	exp, err := otlptrace.New(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	ours := ResourceSpans(spans)
	sdk := &coltracepb.ExportTraceServiceRequest{ResourceSpans: c.got}
	requireEqual(t, sdk, &coltracepb.ExportTraceServiceRequest{ResourceSpans: ours})
	if ResourceSpans(nil) != nil || ResourceSpans([]sdktrace.ReadOnlySpan{nil}) != nil {
		t.Error("no spans should convert to nil")
	}
}

// TestResourceSpansOrder checks what the SDK exporter leaves to map order:
// resources come out in order of first appearance, scopes in order of first
// appearance within their resource, and spans keep their order within a
// scope.
func TestResourceSpansOrder(t *testing.T) {
	for name, spans := range map[string][]sdktrace.ReadOnlySpan{
		"providers":   providerSpans(t),
		"many groups": manySpanGroups(t),
	} {
		t.Run(name, func(t *testing.T) {
			var want, got []string
			type key struct {
				res   attribute.Distinct
				scope instrumentation.Scope
			}
			seenRes := map[attribute.Distinct]bool{}
			seenScope := map[key]bool{}
			var resOrder []attribute.Distinct
			var scopeOrder []key
			byScope := map[key][]string{}
			for _, s := range spans {
				k := key{s.Resource().Equivalent(), s.InstrumentationScope()}
				if !seenRes[k.res] {
					seenRes[k.res] = true
					resOrder = append(resOrder, k.res)
				}
				if !seenScope[k] {
					seenScope[k] = true
					scopeOrder = append(scopeOrder, k)
				}
				byScope[k] = append(byScope[k], s.Name())
			}
			for _, r := range resOrder {
				for _, k := range scopeOrder {
					if k.res == r {
						want = append(want, k.scope.Name+"@"+k.scope.Version+": "+strings.Join(byScope[k], ","))
					}
				}
			}
			for _, rs := range ResourceSpans(spans) {
				for _, ss := range rs.ScopeSpans {
					names := make([]string, len(ss.Spans))
					for i, s := range ss.Spans {
						names[i] = s.Name
					}
					got = append(got, ss.GetScope().GetName()+"@"+ss.GetScope().GetVersion()+": "+strings.Join(names, ","))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("groups:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestProviderSpansCoverage guards the fixtures: the SDK comparison proves
// something only if the spans hold every case they are meant to.
func TestProviderSpansCoverage(t *testing.T) {
	out := ResourceSpans(append(providerSpans(t), stubSpans()...))
	if len(out) != 3 {
		t.Errorf("resources = %d, want 3 (A, B, empty; A under two pointers is one; no resource groups with empty)",
			len(out))
	}
	seen := map[string]bool{}
	mark := func(cond bool, what string) {
		if cond {
			seen[what] = true
		}
	}
	for _, rs := range out {
		mark(rs.Resource != nil && len(rs.Resource.Attributes) == 0, "empty resource")
		for _, ss := range rs.ScopeSpans {
			mark(len(ss.GetScope().GetAttributes()) > 0, "scope attributes")
			mark(ss.GetScope().GetName() == "only a name", "scope name only")
			mark(ss.Scope == nil, "zero scope")
			for _, s := range ss.Spans {
				mark(true, "kind "+s.Kind.String())
				mark(true, "status "+s.Status.GetCode().String())
				mark(s.Status.GetMessage() != "", "status message")
				mark(len(s.ParentSpanId) == 8 && s.Flags&uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK) != 0,
					"remote parent")
				mark(len(s.ParentSpanId) == 8 && s.Flags&uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK) == 0,
					"local parent")
				mark(s.TraceState != "", "trace state")
				mark(s.StartTimeUnixNano == 0, "pre-epoch or zero start")
				mark(s.DroppedAttributesCount > 0, "dropped attributes")
				mark(s.DroppedEventsCount > 0, "dropped events")
				mark(s.DroppedLinksCount > 0, "dropped links")
				mark(len(s.Attributes) > 10, "attributes of every kind")
				for _, e := range s.Events {
					mark(len(e.Attributes) > 10, "event attributes")
					mark(e.DroppedAttributesCount > 0, "event dropped attributes")
					mark(e.TimeUnixNano == 0, "pre-epoch event")
				}
				for _, l := range s.Links {
					mark(len(l.Attributes) > 10, "link attributes")
					mark(l.DroppedAttributesCount > 0, "link dropped attributes")
					mark(l.Flags&uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK) != 0, "remote link")
					mark(len(l.TraceId) == 16 && l.Flags == uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)|3,
						"local link with flags")
				}
			}
		}
	}
	want := []string{"empty resource", "scope attributes", "scope name only", "zero scope", "status message",
		"remote parent", "local parent", "trace state", "pre-epoch or zero start", "dropped attributes",
		"dropped events", "dropped links", "attributes of every kind", "event attributes",
		"event dropped attributes", "pre-epoch event", "link attributes", "link dropped attributes", "remote link",
		"local link with flags"}
	for n := range tracepb.Span_SpanKind_name {
		want = append(want, "kind "+tracepb.Span_SpanKind(n).String())
	}
	for n := range tracepb.Status_StatusCode_name {
		want = append(want, "status "+tracepb.Status_StatusCode(n).String())
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("the fixtures lack %q", w)
		}
	}
}
