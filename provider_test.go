package otelkit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

func memoryProvider(t *testing.T, mem *otelkit.Memory, mod func(*otelkit.Settings), opts ...otelkit.Option) *otelkit.Provider {
	t.Helper()
	s := otelkit.Settings{
		ServiceName: "svc", ServiceVersion: "1.2.3", Environment: "test",
		Traces: otelkit.InMemory(mem), Metrics: otelkit.InMemory(mem), Logs: otelkit.InMemory(mem),
	}
	if mod != nil {
		mod(&s)
	}
	p, err := otelkit.NewProvider(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}

func attrMap(kvs []attribute.KeyValue) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func TestSpansCarryResourceAndConfiguredAttributes(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, func(s *otelkit.Settings) {
		s.SpanAttributes = map[string]string{"test.configured_attribute": "configured-value"}
		s.ResourceAttributes = map[string]string{"team": "payments", "service.name": "overridden-by-ServiceName"}
	})
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "work")
	span.End()

	spans := mem.Spans()
	if len(spans) != 1 || spans[0].Name != "work" {
		t.Fatalf("spans = %v", spans)
	}
	if got := attrMap(spans[0].Attributes)["test.configured_attribute"]; got != "configured-value" {
		t.Errorf("configured span attribute = %q", got)
	}
	res := attrMap(spans[0].Resource.Attributes())
	for k, want := range map[string]string{
		"service.name": "svc", "service.version": "1.2.3", "deployment.environment.name": "test",
		"team": "payments", "telemetry.sdk.language": "go",
	} {
		if res[k] != want {
			t.Errorf("resource %s = %q, want %q", k, res[k], want)
		}
	}
	for _, k := range []string{"host.name", "process.pid", "process.runtime.name"} {
		if res[k] == "" {
			t.Errorf("resource lacks %s", k)
		}
	}
	if _, ok := res["process.command_args"]; ok {
		t.Error("resource carries process.command_args, which can hold secrets")
	}
	if st := p.Stats().Spans; st.Sent != 1 || st.Lost() != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestSamplerSettingsAndOverride(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, func(s *otelkit.Settings) { s.Sampler.Name = "always_off" })
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "dropped")
	span.End()
	if n := len(mem.Spans()); n != 0 {
		t.Fatalf("always_off recorded %d spans", n)
	}
	mem2 := otelkit.NewMemory()
	p2 := memoryProvider(t, mem2, func(s *otelkit.Settings) { s.Sampler.Name = "always_off" },
		otelkit.WithSampler(sdktrace.AlwaysSample()))
	_, span = p2.TracerProvider().Tracer("t").Start(t.Context(), "kept")
	span.End()
	if n := len(mem2.Spans()); n != 1 {
		t.Fatalf("WithSampler did not override Settings.Sampler: %d spans", n)
	}
}

func TestSlogHandlerCorrelatesWithTheSpan(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, nil)
	log := slog.New(p.SlogHandler("test"))
	ctx, span := p.TracerProvider().Tracer("t").Start(t.Context(), "handler")
	log.InfoContext(ctx, "inside", "user.count", 3)
	span.End()
	log.Info("outside")

	recs := mem.Logs()
	if len(recs) != 2 {
		t.Fatalf("got %d log records, want 2", len(recs))
	}
	if recs[0].Body().AsString() != "inside" || recs[0].TraceID() != span.SpanContext().TraceID() ||
		recs[0].SpanID() != span.SpanContext().SpanID() {
		t.Errorf("record in span: body %q trace %s span %s, want trace %s span %s", recs[0].Body().AsString(),
			recs[0].TraceID(), recs[0].SpanID(), span.SpanContext().TraceID(), span.SpanContext().SpanID())
	}
	if recs[1].TraceID().IsValid() {
		t.Errorf("record outside a span has trace id %s", recs[1].TraceID())
	}
	if got := recs[0].Resource().Set().Len(); got == 0 {
		t.Error("log record has no resource")
	}
}

// The slog bridge names its instrumentation scope and versions it with otelkit's Version, on the wire.
func TestSlogHandlerScopeNameAndVersion(t *testing.T) {
	srv := otlptest.NewServer(t)
	p, err := otelkit.NewProvider(otelkit.Settings{Logs: otelkit.OTLP(srv.HTTPURL())})
	if err != nil {
		t.Fatal(err)
	}
	slog.New(p.SlogHandler("checkout")).Info("named")
	slog.New(p.SlogHandler("")).Info("default")
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range srv.Logs() {
		if r.Scope.GetVersion() != otelkit.Version {
			t.Errorf("record %q: scope %q version %q, want %q", r.Body(), r.Scope.GetName(), r.Scope.GetVersion(), otelkit.Version)
		}
		got[fmt.Sprint(r.Body())] = r.Scope.GetName()
	}
	if got["named"] != "checkout" || got["default"] != otelkit.ScopeName {
		t.Fatalf("scope names by record = %v", got)
	}
}

func TestMetricsExportOnFlushAndNothingWhenEmpty(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, nil)
	if err := p.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(mem.Metrics()); n != 0 {
		t.Fatalf("flush with nothing recorded exported %d batches", n)
	}
	c, _ := p.MeterProvider().Meter("m").Int64Counter("requests")
	c.Add(t.Context(), 2, otelMetricAttrs("route", "/a"))
	c.Add(t.Context(), 3, otelMetricAttrs("route", "/a"))
	if err := p.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	rms := mem.Metrics()
	if len(rms) != 1 {
		t.Fatalf("%d exports, want 1", len(rms))
	}
	sum := rms[0].ScopeMetrics[0].Metrics[0].Data.(metricdata.Sum[int64])
	if sum.DataPoints[0].Value != 5 {
		t.Fatalf("counter = %d, want 5", sum.DataPoints[0].Value)
	}
	if st := p.Stats().MetricPoints; st.Sent != 1 {
		t.Fatalf("metric stats = %+v", st)
	}
}

func TestAllSignalsOffIsAUsableNoop(t *testing.T) {
	p, err := otelkit.NewProvider(otelkit.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Enabled() {
		t.Fatal("zero Settings enabled a signal")
	}
	ctx, span := p.TracerProvider().Tracer("t").Start(t.Context(), "x")
	span.End()
	c, _ := p.MeterProvider().Meter("m").Int64Counter("c")
	c.Add(ctx, 1)
	slog.New(p.SlogHandler("")).InfoContext(ctx, "nothing")
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
	if err := p.ForceFlush(ctx); !errors.Is(err, otelkit.ErrShutdown) {
		t.Fatalf("ForceFlush after Shutdown = %v, want ErrShutdown", err)
	}
}

func TestRecordingAfterShutdownIsANoop(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, nil)
	tracer := p.TracerProvider().Tracer("t")
	counter, _ := p.MeterProvider().Meter("m").Int64Counter("c")
	log := slog.New(p.SlogHandler("t"))
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, span := tracer.Start(t.Context(), "late")
	span.End()
	counter.Add(t.Context(), 1)
	log.Info("late")
	if len(mem.Spans()) != 0 || len(mem.Logs()) != 0 {
		t.Fatal("telemetry recorded after Shutdown was exported")
	}
}

func TestPluginProcessorRecordsWithTracesOff(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	p, err := otelkit.NewProvider(otelkit.Settings{}, otelkit.WithSpanProcessor(rec), otelkit.WithSpanProcessor(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(t.Context())
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "seen-by-plugin")
	span.End()
	if ended := rec.Ended(); len(ended) != 1 || ended[0].Name() != "seen-by-plugin" {
		t.Fatalf("plugin processor saw %v", ended)
	}
}

func TestInstallGlobalsRestores(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, nil)
	restore := p.InstallGlobals()
	_, span := otel.Tracer("global").Start(t.Context(), "via-global")
	span.End()
	restore()
	if len(mem.Spans()) != 1 {
		t.Fatalf("global tracer did not reach the provider: %d spans", len(mem.Spans()))
	}
	// After restore, the globals must no longer record into the provider (OpenTelemetry's default globals
	// would keep forwarding to it, so restore puts no-ops in their place).
	_, span = otel.Tracer("global").Start(t.Context(), "after-restore")
	span.End()
	if len(mem.Spans()) != 1 {
		t.Fatalf("a span recorded through the globals after restore reached the provider")
	}
	// A previous global that is not a default is put back as it was.
	mem2 := otelkit.NewMemory()
	p2 := memoryProvider(t, mem2, nil)
	restore2 := p2.InstallGlobals()
	restore3 := p.InstallGlobals()
	restore3()
	if otel.GetTracerProvider() != p2.TracerProvider() {
		t.Fatal("restore did not put back the previous (non-default) tracer provider")
	}
	restore2()
}

func TestPropagatorMergesConfiguredTraceState(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, func(s *otelkit.Settings) {
		s.TraceState = map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
	})
	in := propagation.MapCarrier{
		"traceparent": "00-00000000000000000000000000000001-0000000000000002-01",
		"tracestate":  "example=alpha:zero;keep:yes,other=value",
	}
	ctx := p.Propagator().Extract(t.Context(), in)
	ctx, span := p.TracerProvider().Tracer("t").Start(ctx, "child")
	defer span.End()
	out := propagation.MapCarrier{}
	p.Propagator().Inject(ctx, out)
	if got := out["tracestate"]; got != "example=alpha:one;keep:yes;beta:two,other=value" {
		t.Fatalf("tracestate = %q", got)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.TraceID().String() != "00000000000000000000000000000001" {
		t.Fatalf("trace id = %s", sc.TraceID())
	}
}

func otelMetricAttrs(kv ...string) metric.MeasurementOption {
	attrs := make([]attribute.KeyValue, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		attrs = append(attrs, attribute.String(kv[i], kv[i+1]))
	}
	return metric.WithAttributes(attrs...)
}

func TestManualStartLeavesNothingRunningUntilStarted(t *testing.T) {
	srv := otlptest.NewServer(t)
	for _, e := range []otelkit.Exporter{otelkit.OTLP(srv.HTTPURL()), otelkit.OTLPGRPC(srv.GRPCURL())} {
		// Built and abandoned, as when a later constructor fails: TestMain's goleak check proves no goroutine
		// (batch worker, metric loop, gRPC connection) was left behind.
		if _, err := otelkit.NewProvider(otelkit.Settings{Traces: e, Metrics: e, Logs: e}, otelkit.WithManualStart()); err != nil {
			t.Fatal(err)
		}
	}
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLPGRPC(srv.GRPCURL())}, otelkit.WithManualStart())
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "before-start")
	span.End()
	p.Start()
	p.Start() // idempotent
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Spans(); len(got) != 1 || got[0].Span.GetName() != "before-start" {
		t.Fatalf("spans = %v", got)
	}
}

func TestEventLoggerProviderSharesThePipeline(t *testing.T) {
	srv := otlptest.NewServer(t)
	var log errorLog
	p, err := otelkit.NewProvider(otelkit.Settings{Logs: otelkit.OTLP(srv.HTTPURL())}, otelkit.WithErrorHandler(log.handle))
	if err != nil {
		t.Fatal(err)
	}
	emit := func(lp otellog.LoggerProvider, body string) {
		var r otellog.Record
		r.SetBody(attribute.StringValue(body))
		r.AddAttributes(attribute.String("k", "first"), attribute.String("k", "second"))
		lp.Logger("t").Emit(t.Context(), r)
	}
	emit(p.LoggerProvider(), "deduplicated")
	emit(p.EventLoggerProvider(), "as emitted")
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range srv.Logs() {
		got[r.Body().(string)] = len(r.Record.GetAttributes())
		if otlptest.ServiceName(r.Resource) == "" {
			t.Errorf("%q has no resource", r.Body())
		}
	}
	// The regular provider keeps the last value of a repeated key; the event provider trusts its emitter.
	if got["deduplicated"] != 1 || got["as emitted"] != 2 {
		t.Fatalf("attribute counts = %v", got)
	}
	if st := p.Stats().LogRecords; st.Delivered() != 2 {
		t.Fatalf("stats = %+v, want both records counted by the shared pipeline", st)
	}
}
