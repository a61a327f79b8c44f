package fxotel_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	lognoop "go.opentelemetry.io/otel/log/noop"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/goleak"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/session"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// events records the order of lifecycle events across components.
type events struct {
	mu  sync.Mutex
	seq []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq = append(e.seq, s)
}

func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.seq...)
}

// shutdownProbe is a span processor that records when the provider shuts it down.
type shutdownProbe struct {
	ev    *events
	count atomic.Int32
}

func (*shutdownProbe) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (*shutdownProbe) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (*shutdownProbe) ForceFlush(context.Context) error                { return nil }
func (p *shutdownProbe) Shutdown(context.Context) error {
	p.count.Add(1)
	p.ev.add("provider shutdown")
	return nil
}

func TestModuleProvidesEverything(t *testing.T) {
	mem := otelkit.NewMemory()
	var (
		p   *otelkit.Provider
		mc  *metrics.Client
		res *session.Resolver
		mw  fxotel.HTTPMiddleware
		tr  fxotel.HTTPTransport
		so  fxotel.GRPCServerOptions
		do  fxotel.GRPCDialOptions
		tp  trace.TracerProvider
	)
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Populate(&p, &mc, &res, &mw, &tr, &so, &do, &tp))
	app.RequireStart()
	if p == nil || mc == nil || res == nil || mw == nil || tr == nil || len(so) == 0 || len(do) == 0 || tp == nil {
		t.Fatal("the module did not provide every output")
	}
	_, span := tp.Tracer("t").Start(t.Context(), "through-the-graph")
	span.End()
	if err := mc.Counter("fx.counter", 1); err != nil {
		t.Fatal(err)
	}
	app.RequireStop()
	if spans := mem.Spans(); len(spans) != 1 || spans[0].Name != "through-the-graph" {
		t.Fatalf("spans = %v", spans)
	}
	if len(mem.Metrics()) == 0 {
		t.Fatal("stop did not flush the metrics")
	}
}

// server is a component that depends on the module, like an HTTP server would.
type server struct{}

func TestProviderShutsDownOnceAfterTheServers(t *testing.T) {
	ev := &events{}
	probe := &shutdownProbe{ev: ev}
	mem := otelkit.NewMemory()
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsSpanProcessor(func() sdktrace.SpanProcessor { return probe })),
		fx.Provide(func(lc fx.Lifecycle, _ fxotel.HTTPMiddleware) *server {
			lc.Append(fx.StopHook(func() { ev.add("server stopped") }))
			return &server{}
		}),
		fx.Invoke(func(*server) {}),
	)
	app.RequireStart().RequireStop()
	got := strings.Join(ev.list(), ", ")
	if got != "server stopped, provider shutdown" {
		t.Fatalf("stop order = %s", got)
	}
	if n := probe.count.Load(); n != 1 {
		t.Fatalf("provider shut the processor down %d times", n)
	}
}

func TestSettingsFromTheEnvironmentWhenNoneSupplied(t *testing.T) {
	srv := otlptest.NewServer(t)
	t.Setenv("OTEL_SERVICE_NAME", "from-env")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.HTTPURL())
	var tp trace.TracerProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fx.Populate(&tp))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "env-configured")
	span.End()
	app.RequireStop()
	spans := srv.Spans()
	if len(spans) != 1 || otlptest.ServiceName(spans[0].Resource) != "from-env" {
		t.Fatalf("spans = %v", spans)
	}
}

func TestSuppliedSettingsWin(t *testing.T) {
	mem := otelkit.NewMemory()
	t.Setenv("OTEL_SERVICE_NAME", "from-env")
	var p *otelkit.Provider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module,
		fx.Supply(otelkit.Settings{ServiceName: "from-graph", Traces: otelkit.InMemory(mem)}), fx.Populate(&p))
	app.RequireStart()
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "x")
	span.End()
	app.RequireStop()
	if got := attrs(mem.Spans()[0].Resource.Attributes())["service.name"]; got != "from-graph" {
		t.Fatalf("service.name = %q", got)
	}
}

func TestInvalidSettingsFailFxNewNamingTheField(t *testing.T) {
	app := fx.New(fx.NopLogger, fxotel.Module,
		fx.Supply(otelkit.Settings{Traces: otelkit.OTLP("ftp://collector").WithHeader("X-Key", "s3cr3t")}))
	err := app.Err()
	if err == nil {
		t.Fatal("fx.New accepted invalid settings")
	}
	if !errors.Is(err, otelkit.ErrInvalidSettings) || !strings.Contains(err.Error(), "Traces.Endpoint") ||
		strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err = %v", err)
	}
}

func TestPluginModuleContributesProcessorAndResourceAttribute(t *testing.T) {
	srv := otlptest.NewServer(t)
	var seen atomic.Int32
	plugin := fx.Module("audit",
		fx.Provide(fxotel.AsSpanProcessor(func() sdktrace.SpanProcessor { return countingProcessor{&seen} })),
		fxotel.ResourceAttributes(attribute.String("team", "payments")),
		fx.Provide(fxotel.AsResourceAttribute(func() attribute.KeyValue { return attribute.String("plugin", "audit") })),
	)
	var tp trace.TracerProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, plugin, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf),
		fx.Populate(&tp))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "with-plugin")
	span.End()
	app.RequireStop()
	if seen.Load() != 1 {
		t.Fatalf("the plugin processor saw %d spans", seen.Load())
	}
	spans := srv.Spans()
	if len(spans) != 1 {
		t.Fatalf("spans = %d", len(spans))
	}
	ra := otlptest.AttrMap(spans[0].Resource.GetAttributes())
	if ra["team"] != "payments" || ra["plugin"] != "audit" {
		t.Fatalf("resource attributes = %v", ra)
	}
	if sa := otlptest.AttrMap(spans[0].Span.GetAttributes()); sa["audit.checked"] != true {
		t.Fatalf("span attributes = %v, want the one the plugin processor set in OnStart", sa)
	}
}

// countingProcessor counts the spans that end, and marks every span when it starts.
type countingProcessor struct{ n *atomic.Int32 }

func (countingProcessor) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) {
	s.SetAttributes(attribute.Bool("audit.checked", true))
}
func (c countingProcessor) OnEnd(sdktrace.ReadOnlySpan)    { c.n.Add(1) }
func (countingProcessor) ForceFlush(context.Context) error { return nil }
func (countingProcessor) Shutdown(context.Context) error   { return nil }

func TestSamplerPlugin(t *testing.T) {
	mem := otelkit.NewMemory()
	var tp trace.TracerProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsSampler(func() sdktrace.Sampler { return sdktrace.NeverSample() })), fx.Populate(&tp))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "never")
	span.End()
	app.RequireStop()
	if n := len(mem.Spans()); n != 0 {
		t.Fatalf("the sampler plugin was ignored: %d spans", n)
	}
	two := fx.New(fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsSampler(func() sdktrace.Sampler { return sdktrace.NeverSample() })),
		fx.Provide(fxotel.AsSampler(func() sdktrace.Sampler { return sdktrace.AlwaysSample() })))
	if err := two.Err(); err == nil || !strings.Contains(err.Error(), "at most one is allowed") {
		t.Fatalf("two samplers: err = %v", err)
	}
}

func TestStalledCollectorStopReturnsWithinTheStopTimeout(t *testing.T) {
	srv := otlptest.NewServer(t)
	srv.SetDefault(ptr(otlptest.Stall()))
	defer srv.Release()
	var tp trace.TracerProvider
	logs := &logCapture{}
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf),
		fx.Supply(slog.New(logs)), fx.Populate(&tp), fx.StopTimeout(time.Second))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "stuck")
	span.End()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("app.Stop failed although Strict is off: %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("app.Stop took %v with a 1s stop timeout", el)
	}
	if !logs.contains("opentelemetry shutdown was incomplete") {
		t.Fatalf("the incomplete shutdown was not logged: %v", logs.messages())
	}
	srv.SetDefault(nil)
}

func TestDownCollectorStopSucceedsAndLogsDrops(t *testing.T) {
	srv := otlptest.NewServer(t)
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	var tp trace.TracerProvider
	logs := &logCapture{}
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf),
		fx.Supply(slog.New(logs)), fx.Populate(&tp))
	app.RequireStart()
	for range 3 {
		_, span := tp.Tracer("t").Start(t.Context(), "lost")
		span.End()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("app.Stop = %v, want success (drops are logged, not fatal)", err)
	}
	if !logs.contains("dropped 3 spans") {
		t.Fatalf("drops not logged: %v", logs.messages())
	}
}

func TestStrictModeFailsStop(t *testing.T) {
	srv := otlptest.NewServer(t)
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	var tp trace.TracerProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf),
		fx.Supply(fxotel.Config{Strict: true}), fx.Populate(&tp))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "lost")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var de *otelkit.DropError
	if err := app.Stop(ctx); !errors.As(err, &de) {
		t.Fatalf("strict app.Stop = %v, want the DropError", err)
	}
}

func TestEventLoggerAndRuntimeMetrics(t *testing.T) {
	mem := otelkit.NewMemory()
	app := fxtest.New(t, fxotel.Module, fxotel.EventLogger, fxoteltest.Memory(mem),
		fx.Supply(fxotel.Config{RuntimeMetrics: true}))
	app.RequireStart().RequireStop()
	found := false
	for _, r := range mem.Logs() {
		if r.InstrumentationScope().Name == "go.uber.org/fx" {
			found = true
		}
	}
	if !found {
		t.Fatal("fx events did not reach the provider's logs")
	}
	var runtimeMetric bool
	for _, rm := range mem.Metrics() {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				if m.Name == "go.goroutine.count" {
					runtimeMetric = true
				}
			}
		}
	}
	if !runtimeMetric {
		t.Fatal("runtime metrics were not exported")
	}
}

// InstallGlobals leaves the globals alone until start, installs the provider's on start, and puts the
// previous ones back on stop.
func TestInstallGlobalsOnStartRestoredOnStop(t *testing.T) {
	keepGlobals(t)
	prevTP, prevMP, prevLP := sdktrace.NewTracerProvider(), sdkmetric.NewMeterProvider(), sdklog.NewLoggerProvider()
	prevProp := propagation.TraceContext{}
	otel.SetTracerProvider(prevTP)
	otel.SetMeterProvider(prevMP)
	otel.SetLoggerProvider(prevLP)
	otel.SetTextMapPropagator(prevProp)
	wantPrevious := func(when string) {
		t.Helper()
		if otel.GetTracerProvider() != trace.TracerProvider(prevTP) || otel.GetMeterProvider() != metric.MeterProvider(prevMP) ||
			otel.GetLoggerProvider() != log.LoggerProvider(prevLP) || otel.GetTextMapPropagator() != propagation.TextMapPropagator(prevProp) {
			t.Fatalf("%s: the globals are not the previous ones: %T %T %T %T", when, otel.GetTracerProvider(),
				otel.GetMeterProvider(), otel.GetLoggerProvider(), otel.GetTextMapPropagator())
		}
	}

	mem := otelkit.NewMemory()
	var p *otelkit.Provider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Supply(fxotel.Config{InstallGlobals: true}), fx.Populate(&p))
	wantPrevious("before start")
	app.RequireStart()
	if otel.GetTracerProvider() != p.TracerProvider() || otel.GetMeterProvider() != p.MeterProvider() ||
		otel.GetLoggerProvider() != p.LoggerProvider() || !sameValue(otel.GetTextMapPropagator(), p.Propagator()) {
		t.Fatal("after start, the globals are not the provider's")
	}
	_, span := otel.Tracer("t").Start(t.Context(), "through the global")
	span.End()
	app.RequireStop()
	wantPrevious("after stop")
	if spans := mem.Spans(); len(spans) != 1 || spans[0].Name != "through the global" {
		t.Fatalf("spans = %v, want the one recorded through the global tracer", spans)
	}
}

// keepGlobals puts the OpenTelemetry globals back at the end of the test (no-ops in place of OpenTelemetry's
// own defaults, which cannot be reinstalled once replaced).
func keepGlobals(t *testing.T) {
	tp, mp, lp, prop := otel.GetTracerProvider(), otel.GetMeterProvider(), otel.GetLoggerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		otel.SetTracerProvider(unlessDefault[trace.TracerProvider](tp, tracenoop.NewTracerProvider()))
		otel.SetMeterProvider(unlessDefault[metric.MeterProvider](mp, metricnoop.NewMeterProvider()))
		otel.SetLoggerProvider(unlessDefault[log.LoggerProvider](lp, lognoop.NewLoggerProvider()))
		otel.SetTextMapPropagator(unlessDefault[propagation.TextMapPropagator](prop, propagation.NewCompositeTextMapPropagator()))
	})
}

func unlessDefault[T any](v, noop T) T {
	if t := reflect.TypeOf(v); t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "go.opentelemetry.io/otel/internal/global" {
		return noop
	}
	return v
}

// sameValue reports whether a and b are the same value, comparing slices (such as a composite propagator) by
// identity, which == cannot do.
func sameValue(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Type() != vb.Type() {
		return false
	}
	if va.Kind() == reflect.Slice {
		return va.Pointer() == vb.Pointer() && va.Len() == vb.Len()
	}
	return a == b
}

func attrs(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// logCapture is an slog.Handler that keeps messages and error attributes.
type logCapture struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (l *logCapture) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.Key + "=" + a.Value.String())
		return true
	})
	l.mu.Lock()
	l.msgs = append(l.msgs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *logCapture) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logCapture) WithGroup(string) slog.Handler      { return l }
func (l *logCapture) messages() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.msgs...)
}
func (l *logCapture) contains(s string) bool {
	for _, m := range l.messages() {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// A construction that fails after the provider was built runs no stop hook; TestMain's goleak check proves
// the provider left nothing running (it starts in OnStart).
func TestFailedConstructionLeavesNothingRunning(t *testing.T) {
	srv := otlptest.NewServer(t)
	for _, proto := range []otelkit.Protocol{otelkit.ProtocolHTTPProtobuf, otelkit.ProtocolGRPC} {
		app := fx.New(fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, proto),
			fx.Invoke(func(fxotel.HTTPMiddleware) error { return errors.New("port already in use") }))
		if err := app.Err(); err == nil || !strings.Contains(err.Error(), "port already in use") {
			t.Fatalf("err = %v", err)
		}
	}
}

// deafProcessor ignores its context when shutting down, as third-party code may. It closes returned when its
// Shutdown finally returns.
type deafProcessor struct{ returned chan struct{} }

func (*deafProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (*deafProcessor) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (*deafProcessor) ForceFlush(context.Context) error                { return nil }
func (d *deafProcessor) Shutdown(context.Context) error {
	defer close(d.returned)
	time.Sleep(200 * time.Millisecond)
	return nil
}

// Stop never runs past fx's stop deadline, even when a plugin ignores its context (the margin covers
// Shutdown's accounting grace).
func TestStopKeepsToTheDeadlineWithADeafPlugin(t *testing.T) {
	mem := otelkit.NewMemory()
	deaf := &deafProcessor{returned: make(chan struct{})}
	app := fx.New(fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsSpanProcessor(func() sdktrace.SpanProcessor { return deaf })))
	if err := app.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("app.Stop = %v after %v, want it within the 100ms budget", err, time.Since(start))
	}
	// The plugin's Shutdown is still sleeping on a goroutine the provider gave up on; wait for it before
	// goleak looks (TestMain).
	select {
	case <-deaf.returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the deaf plugin's Shutdown never returned")
	}
}

// Without a *slog.Logger in the graph, the start report and the stop report go to slog.Default().
func TestReportsGoToSlogDefaultWithoutALogger(t *testing.T) {
	logs := &logCapture{}
	prev := slog.Default()
	slog.SetDefault(slog.New(logs))
	t.Cleanup(func() { slog.SetDefault(prev) })
	srv := otlptest.NewServer(t)
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf))
	app.RequireStart()
	app.RequireStop()
	if !logs.contains("opentelemetry started") || !logs.contains("opentelemetry stopped") {
		t.Fatalf("reports not in slog.Default(): %v", logs.messages())
	}
}

// A StopMargin larger than the stop timeout leaves Shutdown half the time instead of an expired context:
// what was recorded is still delivered.
func TestLargeStopMarginStillFlushes(t *testing.T) {
	mem := otelkit.NewMemory()
	var tp trace.TracerProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Supply(fxotel.Config{StopMargin: 10 * time.Second, Strict: true}), fx.Populate(&tp))
	app.RequireStart()
	_, span := tp.Tracer("t").Start(t.Context(), "flushed in time")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("app.Stop = %v", err)
	}
	if spans := mem.Spans(); len(spans) != 1 || spans[0].Name != "flushed in time" {
		t.Fatalf("spans = %v, want the span recorded before stop", spans)
	}
}
