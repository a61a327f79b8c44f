// Package fxoteltest swaps the exporters of an fxotel application for an in-memory or otlptest pipeline in
// tests, without touching the application's own wiring:
//
//	mem := otelkit.NewMemory()
//	app := fxtest.New(t, fxotel.Module, fxoteltest.Memory(mem), fx.Invoke(run))
//	app.RequireStart().RequireStop()
//	spans := mem.Spans()
//
// The helpers are settings overrides (fxotel.OverrideSettingsAt): [Settings] replaces the settings first, then
// [Memory] or [Receiver] swap the exporters, whatever order they are given in. Memory and Receiver also reset
// the sampler to the default, so that OTEL_TRACES_SAMPLER in the environment cannot hide a test's spans.
package fxoteltest

import (
	"time"

	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/otlptest"
)

// Memory sends traces, metrics and logs to mem instead of the configured exporters. It runs at
// fxotel.StageExporters, after [Settings] and other overrides, whatever order they are given in.
//
// It also turns the signals back on (Settings.Disabled, OTEL_SDK_DISABLED) and resets Settings.Sampler to
// the default, parentbased_always_on, so that a sampler from the environment (OTEL_TRACES_SAMPLER=always_off,
// a ratio) or from the app's settings cannot hide the spans a test looks for: every trace the test starts is
// recorded, while an inbound parent's sampled flag is honoured as in production. For another sampler, provide
// one with fxotel.AsSampler, which wins over Settings.Sampler. Other settings (service name, resource
// attributes, propagators, batch sizes) are kept, wherever they came from.
func Memory(mem *otelkit.Memory) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) {
		forTests(s)
		s.Traces, s.Metrics, s.Logs = otelkit.InMemory(mem), otelkit.InMemory(mem), otelkit.InMemory(mem)
	})
}

// Receiver sends every signal to srv over protocol (http/protobuf, http/json or grpc), through the real
// exporters, with short batch delays so that tests see data quickly. It runs at fxotel.StageExporters and
// resets the sampler, like [Memory].
func Receiver(srv *otlptest.Server, protocol otelkit.Protocol) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) {
		e := otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: protocol, Endpoint: srv.HTTPURL()}
		if protocol == otelkit.ProtocolGRPC {
			e.Endpoint = srv.GRPCURL()
		}
		forTests(s)
		s.Traces, s.Metrics, s.Logs = e, e, e
		s.SpanBatch.ScheduleDelay = 50 * time.Millisecond
		s.LogBatch.ScheduleDelay = 50 * time.Millisecond
	})
}

// Settings replaces the application's settings entirely (exporters included) for a test. It runs at
// fxotel.StageReplace, first: [Memory] or [Receiver] given alongside still swap the replacement's exporters
// (and reset its sampler).
func Settings(replacement otelkit.Settings) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageReplace, func(s *otelkit.Settings) { *s = replacement })
}

// forTests turns the signals on and puts back the default sampler, whatever the environment said.
func forTests(s *otelkit.Settings) {
	s.Disabled = false
	s.Sampler = otelkit.Sampler{Name: "parentbased_always_on"}
}
