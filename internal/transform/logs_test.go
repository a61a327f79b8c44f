package transform

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/proto"
)

// capture is a log processor that keeps a copy of every record emitted.
type capture struct{ records []sdklog.Record }

func (c *capture) OnEmit(_ context.Context, r *sdklog.Record) error {
	c.records = append(c.records, r.Clone())
	return nil
}
func (*capture) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (*capture) Shutdown(context.Context) error                         { return nil }
func (*capture) ForceFlush(context.Context) error                       { return nil }

func newLoggerProvider(t testing.TB, c *capture, opts ...sdklog.LoggerProviderOption) *sdklog.LoggerProvider {
	t.Helper()
	lp := sdklog.NewLoggerProvider(append(opts, sdklog.WithProcessor(c))...)
	t.Cleanup(func() { _ = lp.Shutdown(context.Background()) })
	return lp
}

// bodies returns a log body of every kind, nested and empty ones included.
func bodies() []attribute.Value {
	return []attribute.Value{
		attribute.StringValue("hello"),
		attribute.StringValue(""),
		attribute.Int64Value(-9),
		attribute.Float64Value(6.5),
		attribute.BoolValue(true),
		attribute.ByteSliceValue([]byte{0xde, 0xad, 0xbe, 0xef}),
		attribute.StringSliceValue([]string{"x", "y"}),
		attribute.Int64SliceValue([]int64{4, 5}),
		attribute.Float64SliceValue([]float64{1.5}),
		attribute.BoolSliceValue([]bool{false}),
		attribute.SliceValue(attribute.StringValue("a"), attribute.Int64Value(1), attribute.Value{},
			attribute.SliceValue(attribute.BoolValue(true))),
		attribute.MapValue(attribute.String("user", "u"), attribute.Int("n", 2),
			attribute.Map("inner", attribute.Slice("deep", attribute.MapValue(attribute.Bool("leaf", true))))),
		attribute.MapValue(),
		attribute.SliceValue(),
		{}, // The empty body.
	}
}

// providerRecords emits records through real LoggerProviders: several
// resources (one given twice under another pointer and schema URL, one empty)
// and scopes, every severity, body kind and attribute kind, trace context,
// dropped attributes, and records of different groups interleaved.
func providerRecords(t testing.TB) []sdklog.Record {
	t.Helper()
	c := new(capture)
	resA := func(schema string) *resource.Resource {
		return resource.NewWithAttributes(schema, append(allKinds("res."), attribute.String("service.name", "a"))...)
	}
	lpA := newLoggerProvider(t, c, sdklog.WithResource(resA("https://opentelemetry.io/schemas/1.26.0")))
	lpA2 := newLoggerProvider(t, c, sdklog.WithResource(resA("https://example.com/other-schema")))
	lpB := newLoggerProvider(t, c, sdklog.WithResource(resource.NewSchemaless(attribute.String("service.name", "b"))),
		sdklog.WithAttributeCountLimit(3))
	lpEmpty := newLoggerProvider(t, c, sdklog.WithResource(resource.Empty()))

	loggers := []log.Logger{
		lpA.Logger("github.com/otelkit/otelkit/a", log.WithInstrumentationVersion("v1.0.0"),
			log.WithSchemaURL("https://opentelemetry.io/schemas/1.24.0"),
			log.WithInstrumentationAttributes(allKinds("scope.")...)),
		lpA.Logger("b"),
		lpA2.Logger("b"),
		lpA.Logger("b", log.WithInstrumentationVersion("v2")),
		lpB.Logger("b"),
		lpB.Logger(""),
		lpEmpty.Logger("empty"),
	}

	sampled := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), SpanID: trace.SpanID(spanID), TraceFlags: trace.FlagsSampled,
	}))
	traceOnly := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), TraceFlags: trace.TraceFlags(0x02),
	}))
	ctxs := []context.Context{context.Background(), sampled, traceOnly}
	bs := bodies()
	early := time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)
	for i := -1; i <= 26; i++ { // Every severity, and some out of range.
		var r log.Record
		r.SetSeverity(log.Severity(i))
		r.SetSeverityText("sev" + strconv.Itoa(i))
		r.SetBody(bs[(i+1)%len(bs)])
		r.SetTimestamp(t0.Add(time.Duration(i) * time.Millisecond))
		r.SetObservedTimestamp(t1.Add(time.Duration(i) * time.Microsecond))
		switch i % 4 {
		case 0:
			r.SetEventName("event." + strconv.Itoa(i))
		case 1:
			r.AddAttributes(allKinds("attr.")...) // More than lpB's limit of 3: some dropped.
		case 2:
			r.AddAttributes(attribute.String("k", "1"), attribute.String("k", "2"), attribute.Int("n", i))
		case 3:
			r.SetTimestamp(time.Time{})
			r.SetObservedTimestamp(early)
		}
		loggers[(i+1)%len(loggers)].Emit(ctxs[(i+1)%len(ctxs)], r)
	}
	return c.records
}

// zeroRecords are built directly: no resource and the zero scope.
func zeroRecords() []sdklog.Record {
	var out []sdklog.Record
	for i, b := range bodies() {
		var r sdklog.Record
		r.SetBody(b)
		r.SetSeverity(log.SeverityInfo)
		r.SetTimestamp(t0.Add(time.Duration(i) * time.Second))
		r.SetAttributes(attribute.String("dropped", "by the zero record's limit"))
		out = append(out, r)
	}
	return out
}

// manyGroups has more resources and scopes than the linear search handles.
func manyGroups(t testing.TB) []sdklog.Record {
	t.Helper()
	c := new(capture)
	var loggers []log.Logger
	for i := range 3 * linearMax {
		lp := newLoggerProvider(t, c, sdklog.WithResource(resource.NewSchemaless(attribute.Int("res", i))))
		for j := range 3 {
			loggers = append(loggers, lp.Logger("scope."+strconv.Itoa(j)))
		}
	}
	for i := range 5 * len(loggers) {
		var r log.Record
		r.SetBody(attribute.IntValue(i))
		r.SetSeverityText("r" + strconv.Itoa(i))
		r.SetTimestamp(t0)
		loggers[(i*7)%len(loggers)].Emit(context.Background(), r)
	}
	return c.records
}

// sortResources orders the resources of req, which the SDK exporter sends in
// map order. Resources are distinct, so their encodings tell them apart.
func sortResources(t testing.TB, req *collogspb.ExportLogsServiceRequest) {
	t.Helper()
	key := func(rl *logspb.ResourceLogs) []byte {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&logspb.ResourceLogs{
			Resource: rl.Resource, SchemaUrl: rl.SchemaUrl,
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	slices.SortStableFunc(req.ResourceLogs, func(a, b *logspb.ResourceLogs) int { return bytes.Compare(key(a), key(b)) })
}

func TestResourceLogsMatchesSDKExporter(t *testing.T) {
	tests := []struct {
		name    string
		records func(t testing.TB) []sdklog.Record
	}{
		{name: "providers, resources, scopes, severities, bodies, attributes", records: providerRecords},
		{name: "zero records", records: func(testing.TB) []sdklog.Record { return zeroRecords() }},
		{name: "zero and provider records mixed", records: func(t testing.TB) []sdklog.Record {
			z := zeroRecords()
			p := providerRecords(t)
			return append(append(append([]sdklog.Record{}, z[:5]...), p...), z[5:]...)
		}},
		{name: "one record", records: func(t testing.TB) []sdklog.Record { return providerRecords(t)[:1] }},
		{name: "more groups than the linear search", records: manyGroups},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			records := tt.records(t)
			sdkBody, ourBody := sdkLogs(t, records), ourLogs(t, records)
			sdk, ours := decodeLogs(t, sdkBody), decodeLogs(t, ourBody)
			if len(ours.ResourceLogs) != len(sdk.ResourceLogs) {
				t.Fatalf("resources: ours %d, SDK %d", len(ours.ResourceLogs), len(sdk.ResourceLogs))
			}
			sortResources(t, sdk)
			sortResources(t, ours)
			requireEqual(t, sdk, ours)
			if len(sdk.ResourceLogs) == 1 { // No map order to undo: the bytes must match.
				requireSameBytes(t, sdkBody, ourBody)
			}
		})
	}
}
