// Package fxoteltest swaps the exporters of an fxotel application for an in-memory or otlptest pipeline in
// tests, without touching the application's own wiring:
//
//	mem := otelkit.NewMemory()
//	app := fxtest.New(t, fxotel.Module, fxoteltest.Memory(mem), fx.Invoke(run))
//	app.RequireStart().RequireStop()
//	spans := mem.Spans()
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
func Memory(mem *otelkit.Memory) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) {
		s.Disabled = false
		s.Traces, s.Metrics, s.Logs = otelkit.InMemory(mem), otelkit.InMemory(mem), otelkit.InMemory(mem)
	})
}

// Receiver sends every signal to srv over protocol (http/protobuf, http/json or grpc), through the real
// exporters, with short batch delays so that tests see data quickly. It runs at fxotel.StageExporters, like
// [Memory].
func Receiver(srv *otlptest.Server, protocol otelkit.Protocol) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) {
		e := otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: protocol, Endpoint: srv.HTTPURL()}
		if protocol == otelkit.ProtocolGRPC {
			e.Endpoint = srv.GRPCURL()
		}
		s.Disabled = false
		s.Traces, s.Metrics, s.Logs = e, e, e
		s.SpanBatch.ScheduleDelay = 50 * time.Millisecond
		s.LogBatch.ScheduleDelay = 50 * time.Millisecond
	})
}

// Settings replaces the application's settings entirely (exporters included) for a test. It runs at
// fxotel.StageReplace, first: [Memory] or [Receiver] given alongside still swap the replacement's exporters.
func Settings(replacement otelkit.Settings) fx.Option {
	return fxotel.OverrideSettingsAt(fxotel.StageReplace, func(s *otelkit.Settings) { *s = replacement })
}
