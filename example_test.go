package otelkit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// A provider that keeps spans in memory, as tests use it.
func Example() {
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "checkout",
		Traces:      otelkit.InMemory(mem),
	})
	if err != nil {
		panic(err)
	}
	_, span := p.TracerProvider().Tracer("example").Start(context.Background(), "charge card")
	span.End()
	if err := p.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	for _, s := range mem.Spans() {
		fmt.Println(s.Name)
	}
	fmt.Printf("%+v\n", p.Stats().Spans)
	// Output:
	// charge card
	// {Sent:1 Rejected:0 Failed:0 Dropped:0}
}

// Settings from the OTEL_* environment, then overridden in code, exporting to a collector over OTLP/HTTP.
func ExampleSettingsFromEnv() {
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		fmt.Println(err) // names the variable, never a header value
		return
	}
	s.ServiceName = "checkout"                       // code wins over OTEL_SERVICE_NAME
	s.Traces = otelkit.OTLP("http://collector:4318") // posts to http://collector:4318/v1/traces
	p, err := otelkit.NewProvider(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range p.Exporters() {
		fmt.Println(e)
	}
	_ = p.Shutdown(context.Background())
	// Output:
	// traces: otlp http/protobuf http://collector:4318/v1/traces
	// metrics: none
	// logs: none
}

// Misconfiguration fails at construction, naming the field and never echoing a header value.
func ExampleNewProvider_invalidSettings() {
	exp := otelkit.OTLP("https://collector:4318").WithHeader("Authorization", "Bearer secret\r\n")
	_, err := otelkit.NewProvider(otelkit.Settings{Traces: exp})
	var se *otelkit.SettingsError
	if errors.As(err, &se) {
		fmt.Println(se.Field)
	}
	fmt.Println(err)
	// Output:
	// Traces.Headers["Authorization"]
	// otelkit: invalid settings: Traces.Headers["Authorization"]: header value contains CR or LF
}

// Shutdown with a deadline: everything recorded before the call is exported, or reported as dropped. Here a
// loopback OTLP receiver (otlptest) stands in for the collector; the span is still queued (the batch delay
// is 5s) when Shutdown is called, and Shutdown delivers it.
func ExampleProvider_Shutdown() {
	collector, err := otlptest.Start()
	if err != nil {
		panic(err)
	}
	defer collector.Close()

	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP(collector.HTTPURL())})
	if err != nil {
		panic(err)
	}
	_, span := p.TracerProvider().Tracer("example").Start(context.Background(), "charge card")
	span.End()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		var drop *otelkit.DropError
		if errors.As(err, &drop) {
			fmt.Fprintln(os.Stderr, "lost", drop.Count, drop.Signal)
		}
	}
	for _, s := range collector.Spans() {
		fmt.Println("collector received:", s.Span.GetName())
	}
	fmt.Printf("%+v\n", p.Stats().Spans)
	// Output:
	// collector received: charge card
	// {Sent:1 Rejected:0 Failed:0 Dropped:0}
}

// Logs through log/slog, correlated with the span in the context.
func ExampleProvider_SlogHandler() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem), Logs: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())
	log := slog.New(p.SlogHandler("example"))
	ctx, span := p.TracerProvider().Tracer("example").Start(context.Background(), "request")
	log.InfoContext(ctx, "handled", "items", 3)
	span.End()
	rec := mem.Logs()[0]
	fmt.Println(rec.Body().AsString(), rec.TraceID() == span.SpanContext().TraceID())
	// Output: handled true
}

// InstallGlobals is opt-in and reversible.
func ExampleProvider_InstallGlobals() {
	p, _ := otelkit.NewProvider(otelkit.Settings{})
	restore := p.InstallGlobals()
	defer restore()
	fmt.Println(p.Enabled())
	// Output: false
}

// Settings print and log without their secrets: header values and endpoint credentials are redacted
// (fmt and slog use Redacted through String and LogValue).
func ExampleSettings_Redacted() {
	s := otelkit.Settings{Traces: otelkit.OTLP("https://collector.example/v1/traces?tenant=t-81f3").
		WithHeader("Authorization", "Bearer sk-live-0123456789")}
	safe := s.Redacted()
	fmt.Println(safe.Traces.Headers)
	fmt.Println(safe.Traces.Endpoint)
	// Output:
	// map[Authorization:[REDACTED]]
	// https://collector.example/v1/traces?tenant=%5BREDACTED%5D
}
