package fxotel_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
	"github.com/otelkit/otelkit/session"
)

// metricNames lists the names of the metrics in rms.
func metricNames(rms ...metricdata.ResourceMetrics) map[string]bool {
	names := map[string]bool{}
	for _, rm := range rms {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				names[m.Name] = true
			}
		}
	}
	return names
}

func TestMetricViewPluginRenamesAnInstrument(t *testing.T) {
	mem := otelkit.NewMemory()
	var mp metric.MeterProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsMetricView(func() sdkmetric.View {
			return sdkmetric.NewView(sdkmetric.Instrument{Name: "orders.placed"}, sdkmetric.Stream{Name: "orders.created"})
		})),
		fx.Populate(&mp))
	app.RequireStart()
	c, err := mp.Meter("t").Int64Counter("orders.placed")
	if err != nil {
		t.Fatal(err)
	}
	c.Add(t.Context(), 1)
	app.RequireStop()
	names := metricNames(mem.Metrics()...)
	if !names["orders.created"] || names["orders.placed"] {
		t.Fatalf("exported metrics %v, want orders.created in place of orders.placed", names)
	}
}

func TestMetricReaderPluginCollects(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	var mp metric.MeterProvider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, // no exporter at all: the reader alone turns metrics on
		fx.Supply(otelkit.Settings{ServiceName: "reader-test"}),
		fx.Provide(fxotel.AsMetricReader(func() *sdkmetric.ManualReader { return reader })),
		fx.Populate(&mp))
	app.RequireStart()
	defer app.RequireStop()
	c, err := mp.Meter("t").Int64Counter("jobs.done")
	if err != nil {
		t.Fatal(err)
	}
	c.Add(t.Context(), 3)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "jobs.done" &&
				len(sum.DataPoints) == 1 && sum.DataPoints[0].Value == 3 {
				return
			}
		}
	}
	t.Fatalf("the plugin reader did not collect jobs.done = 3: %+v", rm.ScopeMetrics)
}

// stampingLogProcessor records the bodies it sees and stamps every record with an attribute.
type stampingLogProcessor struct {
	mu     sync.Mutex
	bodies []string
}

func (*stampingLogProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (p *stampingLogProcessor) OnEmit(_ context.Context, r *sdklog.Record) error {
	p.mu.Lock()
	p.bodies = append(p.bodies, r.Body().AsString())
	p.mu.Unlock()
	r.AddAttributes(attribute.Bool("audit.seen", true))
	return nil
}
func (*stampingLogProcessor) Shutdown(context.Context) error   { return nil }
func (*stampingLogProcessor) ForceFlush(context.Context) error { return nil }

func TestLogProcessorPluginSeesRecordsBeforeExport(t *testing.T) {
	mem := otelkit.NewMemory()
	lp := &stampingLogProcessor{}
	var p *otelkit.Provider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsLogProcessor(func() sdklog.Processor { return lp })), fx.Populate(&p))
	app.RequireStart()
	slog.New(p.SlogHandler("t")).InfoContext(t.Context(), "order placed")
	app.RequireStop()
	lp.mu.Lock()
	bodies := lp.bodies
	lp.mu.Unlock()
	if len(bodies) != 1 || bodies[0] != "order placed" {
		t.Fatalf("the plugin processor saw %q", bodies)
	}
	logs := mem.Logs()
	if len(logs) != 1 {
		t.Fatalf("exported %d records, want 1", len(logs))
	}
	stamped := false
	logs[0].WalkAttributes(func(kv attribute.KeyValue) bool {
		stamped = stamped || (kv.Key == "audit.seen" && kv.Value.AsBool())
		return true
	})
	if !stamped {
		t.Fatal("the exported record lacks the attribute the plugin processor added")
	}
}

func TestSessionSinkPluginGetsEvents(t *testing.T) {
	mem := otelkit.NewMemory()
	var (
		mu     sync.Mutex
		events []session.Event
	)
	sink := session.SinkFunc(func(_ context.Context, e session.Event) {
		e.LogAttrs, e.TraceAttrs = slices.Clone(e.LogAttrs), slices.Clone(e.TraceAttrs) // sinks must not retain them
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	})
	var f *session.Factory
	app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
		fx.Provide(fxotel.AsSessionSink(func() session.Sink { return sink })), fx.Populate(&f))
	app.RequireStart()
	f.New(session.Metadata{SessionID: "s-1"}).Event(t.Context(), "order.viewed", nil,
		[]attribute.KeyValue{attribute.String("order.kind", "retail")})
	app.RequireStop()
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 1 {
		t.Fatalf("the sink got %d events, want 1", len(events))
	}
	e := events[0]
	if e.Name != "order.viewed" || e.Metadata.SessionID != "s-1" || attrs(e.TraceAttrs)["order.kind"] != "retail" {
		t.Fatalf("the sink got %+v", e)
	}
}
