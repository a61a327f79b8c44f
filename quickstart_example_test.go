package otelkit_test

import (
	"context"
	"log"
	"log/slog"
	"time"

	"github.com/otelkit/otelkit"
)

// The provider on its own, configured from OTEL_* variables and code (compile-only: it needs a collector).
func Example_quickstart() {
	s, err := otelkit.SettingsFromEnv() // the standard OTEL_* variables
	if err != nil {
		log.Fatal(err) // names the variable; never echoes a header value
	}
	s.ServiceName = "checkout"                            // code overrides the environment
	s.Traces = otelkit.OTLP("http://collector:4318")      // posts to /v1/traces
	s.Metrics = otelkit.OTLPJSON("http://collector:4318") // OTLP/JSON to /v1/metrics
	p, err := otelkit.NewProvider(s)                      // validates everything before starting anything
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.Shutdown(ctx); err != nil { // flushes; reports exactly what it could not deliver
			log.Print(err)
		}
	}()
	ctx, span := p.TracerProvider().Tracer("checkout").Start(context.Background(), "charge")
	slog.New(p.SlogHandler("checkout")).InfoContext(ctx, "charged", "cents", 1299) // correlated with the span
	span.End()
}
