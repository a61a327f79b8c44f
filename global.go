package otelkit

import "go.opentelemetry.io/otel"

// InstallGlobals makes the provider's tracer, meter and logger providers and its propagator the OpenTelemetry
// globals, for libraries that only use otel.Tracer and friends. It returns a function that puts back the
// previous globals. NewProvider never does this on its own.
func (p *Provider) InstallGlobals() (restore func()) {
	prevTP, prevMP, prevLP, prevProp := otel.GetTracerProvider(), otel.GetMeterProvider(),
		otel.GetLoggerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(p.TracerProvider())
	otel.SetMeterProvider(p.MeterProvider())
	otel.SetLoggerProvider(p.LoggerProvider())
	otel.SetTextMapPropagator(p.Propagator())
	return func() {
		otel.SetTracerProvider(prevTP)
		otel.SetMeterProvider(prevMP)
		otel.SetLoggerProvider(prevLP)
		otel.SetTextMapPropagator(prevProp)
	}
}
