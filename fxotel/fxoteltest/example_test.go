package fxoteltest_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
)

// The application's own settings (here: OTLP to a collector that does not exist in tests) are swapped for
// an in-memory pipeline.
func ExampleMemory() {
	mem := otelkit.NewMemory()
	var tp trace.TracerProvider
	app := fx.New(fx.NopLogger, fxotel.Module,
		fx.Supply(otelkit.Settings{Traces: otelkit.OTLP("http://collector.internal:4318")}),
		fxoteltest.Memory(mem),
		fx.Populate(&tp))
	_ = app.Start(context.Background())
	_, span := tp.Tracer("test").Start(context.Background(), "in memory")
	span.End()
	_ = app.Stop(context.Background())
	fmt.Println(len(mem.Spans()), mem.Spans()[0].Name)
	// Output: 1 in memory
}
