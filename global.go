package otelkit

import (
	"reflect"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/log"
	lognoop "go.opentelemetry.io/otel/log/noop"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// InstallGlobals makes the provider's tracer, meter and logger providers and its propagator the OpenTelemetry
// globals, for libraries that only use otel.Tracer and friends. It returns a function that puts back the
// previous globals. NewProvider never does this on its own.
//
// OpenTelemetry's own defaults cannot be put back once replaced: they forward, for the rest of the process,
// to the first provider installed. When the previous globals were those defaults, restore installs no-op
// providers and an empty propagator instead, so nothing keeps recording into this provider.
func (p *Provider) InstallGlobals() (restore func()) {
	prevTP, prevMP, prevLP, prevProp := otel.GetTracerProvider(), otel.GetMeterProvider(),
		otel.GetLoggerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(p.TracerProvider())
	otel.SetMeterProvider(p.MeterProvider())
	otel.SetLoggerProvider(p.LoggerProvider())
	otel.SetTextMapPropagator(p.Propagator())
	return func() {
		otel.SetTracerProvider(orDefault[trace.TracerProvider](prevTP, tracenoop.NewTracerProvider()))
		otel.SetMeterProvider(orDefault[metric.MeterProvider](prevMP, metricnoop.NewMeterProvider()))
		otel.SetLoggerProvider(orDefault[log.LoggerProvider](prevLP, lognoop.NewLoggerProvider()))
		otel.SetTextMapPropagator(orDefault[propagation.TextMapPropagator](prevProp, propagation.NewCompositeTextMapPropagator()))
	}
}

// otelDefaults is the package of OpenTelemetry's default, delegating globals.
const otelDefaults = "go.opentelemetry.io/otel/internal/global"

// orDefault returns prev, or replacement when prev is one of OpenTelemetry's default globals.
func orDefault[T any](prev, replacement T) T {
	if t := reflect.TypeOf(prev); t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == otelDefaults {
		return replacement
	}
	return prev
}
