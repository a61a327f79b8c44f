package fxoteltest_test

import (
	"testing"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/goleak"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
	"github.com/otelkit/otelkit/otlptest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestReceiverPerProtocol(t *testing.T) {
	for _, proto := range []otelkit.Protocol{otelkit.ProtocolHTTPProtobuf, otelkit.ProtocolHTTPJSON, otelkit.ProtocolGRPC} {
		t.Run(string(proto), func(t *testing.T) {
			srv := otlptest.NewServer(t)
			var tp trace.TracerProvider
			app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, proto), fx.Populate(&tp))
			app.RequireStart()
			_, span := tp.Tracer("t").Start(t.Context(), "over-"+string(proto))
			span.End()
			app.RequireStop()
			spans := srv.Spans()
			if len(spans) != 1 || spans[0].Span.GetName() != "over-"+string(proto) {
				t.Fatalf("spans = %v", spans)
			}
			r := srv.Requests()[0]
			if (proto == otelkit.ProtocolGRPC) != (r.Transport == otlptest.TransportGRPC) {
				t.Fatalf("sent over %s for %s", r.Transport, proto)
			}
		})
	}
}

func TestSettingsReplacesEverything(t *testing.T) {
	mem := otelkit.NewMemory()
	var p *otelkit.Provider
	app := fxtest.New(t, fx.NopLogger, fxotel.Module,
		fx.Supply(otelkit.Settings{ServiceName: "app", Traces: otelkit.OTLP("http://collector:4318")}),
		fxoteltest.Settings(otelkit.Settings{ServiceName: "replaced", Traces: otelkit.InMemory(mem)}),
		fx.Populate(&p))
	app.RequireStart().RequireStop()
	if got := p.Exporters()[0].Kind; got != otelkit.ExporterMemory {
		t.Fatalf("traces exporter = %v", got)
	}
	if p.Settings().ServiceName != "replaced" {
		t.Fatalf("service name = %q", p.Settings().ServiceName)
	}
}

// A sampler from the environment (or the app's settings) does not hide the spans a test looks for.
func TestHelpersRecordEveryTraceWhateverTheEnvironmentSays(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	t.Run("Memory", func(t *testing.T) {
		mem := otelkit.NewMemory()
		var tp trace.TracerProvider
		app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem), fx.Populate(&tp))
		app.RequireStart()
		_, span := tp.Tracer("t").Start(t.Context(), "sampled")
		span.End()
		app.RequireStop()
		if spans := mem.Spans(); len(spans) != 1 || spans[0].Name != "sampled" {
			t.Fatalf("spans = %v", spans)
		}
	})
	t.Run("Receiver", func(t *testing.T) {
		srv := otlptest.NewServer(t)
		var tp trace.TracerProvider
		app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, otelkit.ProtocolHTTPProtobuf),
			fx.Populate(&tp))
		app.RequireStart()
		_, span := tp.Tracer("t").Start(t.Context(), "sampled")
		span.End()
		app.RequireStop()
		if spans := srv.Spans(); len(spans) != 1 || spans[0].Span.GetName() != "sampled" {
			t.Fatalf("spans = %v", spans)
		}
	})
}
