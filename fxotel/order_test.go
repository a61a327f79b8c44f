package fxotel_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
)

// builds is how many times the order tests build the same app. fx shuffles value groups on every build, so
// an order that depended on it would show up as two different results (with probability 1-2^-29 for two
// members).
const builds = 30

// buildProvider builds the app with opts (without starting it) and returns its provider.
func buildProvider(t *testing.T, opts ...fx.Option) *otelkit.Provider {
	t.Helper()
	var p *otelkit.Provider
	app := fx.New(append([]fx.Option{fx.NopLogger, fxotel.Module, fx.Populate(&p)}, opts...)...)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSettingsOverridesRunInStageOrderEveryTime(t *testing.T) {
	mem := otelkit.NewMemory()
	replacement := otelkit.Settings{ServiceName: "replaced", Traces: otelkit.OTLP("http://collector.internal:4318")}
	for _, tc := range []struct {
		name string
		opts []fx.Option
	}{
		{"memory first", []fx.Option{fxoteltest.Memory(mem), fxoteltest.Settings(replacement)}},
		{"settings first", []fx.Option{fxoteltest.Settings(replacement), fxoteltest.Memory(mem)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range builds {
				p := buildProvider(t, tc.opts...)
				// The replacement runs first, then the exporter swap: the test's exporters and the replaced name.
				if kind, name := p.Exporters()[0].Kind, p.Settings().ServiceName; kind != otelkit.ExporterMemory || name != "replaced" {
					t.Fatalf("build %d: traces exporter %v, service %q; want memory, %q", i, kind, name, "replaced")
				}
			}
		})
	}
}

func TestSettingsOverridesOfOneStageRunInTheOrderWritten(t *testing.T) {
	set := func(name string) fx.Option {
		return fxotel.OverrideSettings(func(s *otelkit.Settings) { s.ServiceName = name })
	}
	for i := range builds {
		p := buildProvider(t, set("first"), set("second"), set("third"))
		if got := p.Settings().ServiceName; got != "third" {
			t.Fatalf("build %d: service name %q, want the last override's %q", i, got, "third")
		}
	}
	// An explicit stage beats the order written.
	for i := range builds {
		p := buildProvider(t,
			fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) { s.ServiceName = "exporters" }),
			set("adjust"))
		if got := p.Settings().ServiceName; got != "exporters" {
			t.Fatalf("build %d: service name %q, want %q (StageExporters runs last)", i, got, "exporters")
		}
	}
}

// Overrides put into the group without OverrideSettings carry no order: one is accepted, two are an error.
func TestUnorderedSettingsOverridesInTheGroup(t *testing.T) {
	raw := func(name string) fx.Option {
		return fx.Supply(fx.Annotated{Group: fxotel.GroupSettingsOverrides,
			Target: fxotel.SettingsOverride(func(s *otelkit.Settings) { s.ServiceName = name })})
	}
	p := buildProvider(t, raw("raw"), fxotel.OverrideSettings(func(s *otelkit.Settings) { s.ServiceName = "ordered" }))
	if got := p.Settings().ServiceName; got != "raw" {
		t.Fatalf("service name %q, want the unordered override's (it runs after the StageAdjust ones)", got)
	}
	err := fx.New(fx.NopLogger, fxotel.Module, raw("a"), raw("b")).Err()
	if !errors.Is(err, fxotel.ErrPluginConflict) || !strings.Contains(err.Error(), "OverrideSettings") {
		t.Fatalf("two unordered overrides: err = %v", err)
	}
}

// orderLog records which named processor saw a span or a record first.
type orderLog struct{ seq []string }

type alphaSpanProcessor struct{ log *orderLog }

func (a alphaSpanProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {
	a.log.seq = append(a.log.seq, "alpha")
}
func (alphaSpanProcessor) OnEnd(sdktrace.ReadOnlySpan)      {}
func (alphaSpanProcessor) ForceFlush(context.Context) error { return nil }
func (alphaSpanProcessor) Shutdown(context.Context) error   { return nil }

type betaSpanProcessor struct{ alphaSpanProcessor }

func (b betaSpanProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {
	b.log.seq = append(b.log.seq, "beta")
}

type alphaLogProcessor struct{ log *orderLog }

func (a alphaLogProcessor) OnEmit(context.Context, *sdklog.Record) error {
	a.log.seq = append(a.log.seq, "alpha")
	return nil
}
func (alphaLogProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (alphaLogProcessor) Shutdown(context.Context) error                         { return nil }
func (alphaLogProcessor) ForceFlush(context.Context) error                       { return nil }

type betaLogProcessor struct{ alphaLogProcessor }

func (b betaLogProcessor) OnEmit(context.Context, *sdklog.Record) error {
	b.log.seq = append(b.log.seq, "beta")
	return nil
}

func TestPluginProcessorOrderIsTheSameEveryTime(t *testing.T) {
	for i := range builds {
		ol := &orderLog{}
		// Provided beta first: the order is not the order of registration but a stable one.
		p := buildProvider(t,
			fx.Provide(fxotel.AsSpanProcessor(func() sdktrace.SpanProcessor { return betaSpanProcessor{alphaSpanProcessor{ol}} })),
			fx.Provide(fxotel.AsSpanProcessor(func() sdktrace.SpanProcessor { return alphaSpanProcessor{ol} })),
			fx.Provide(fxotel.AsLogProcessor(func() sdklog.Processor { return betaLogProcessor{alphaLogProcessor{ol}} })),
			fx.Provide(fxotel.AsLogProcessor(func() sdklog.Processor { return alphaLogProcessor{ol} })),
		)
		_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "ordered")
		span.End()
		slog.New(p.SlogHandler("t")).InfoContext(t.Context(), "ordered")
		got := strings.Join(ol.seq, ",")
		if got != "alpha,beta,alpha,beta" {
			t.Fatalf("build %d: processors ran as %s, want alpha,beta for spans then for logs", i, got)
		}
		if err := p.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConflictingResourceAttributesFailNamingTheKey(t *testing.T) {
	err := fx.New(fx.NopLogger, fxotel.Module,
		fxotel.ResourceAttributes(attribute.String("team", "payments")),
		fx.Provide(fxotel.AsResourceAttribute(func() attribute.KeyValue { return attribute.String("team", "search") })),
	).Err()
	if !errors.Is(err, fxotel.ErrPluginConflict) || !strings.Contains(err.Error(), `"team"`) {
		t.Fatalf("err = %v, want a conflict naming the key", err)
	}
	// The same value twice is not a conflict, and the result does not depend on the delivery order.
	for i := range builds {
		p := buildProvider(t,
			fxotel.ResourceAttributes(attribute.String("team", "payments"), attribute.String("tier", "1")),
			fxotel.ResourceAttributes(attribute.String("team", "payments")))
		team, _ := p.Resource().Set().Value("team")
		tier, _ := p.Resource().Set().Value("tier")
		if team.AsString() != "payments" || tier.AsString() != "1" {
			t.Fatalf("build %d: resource = %v", i, p.Resource())
		}
	}
}
