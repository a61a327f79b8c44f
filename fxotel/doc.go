// Package fxotel wires otelkit into an fx application: the provider's lifecycle, the metrics client,
// session resolution, HTTP middleware and gRPC options, and plugins through value groups.
//
//	fx.New(
//		fxotel.Module,                  // Settings from the graph, or from OTEL_* variables
//		fx.Provide(NewHTTPServer),      // takes fxotel.HTTPMiddleware
//		fx.Provide(NewGRPCServer),      // takes fxotel.GRPCServerOptions
//		fx.Provide(fxotel.AsSpanProcessor(NewAuditProcessor)),
//	).Run()
//
// # Lifecycle
//
// OnStart installs the OTel globals only when [Config.InstallGlobals] is set, starts Go runtime metrics when
// [Config.RuntimeMetrics] is set, and logs the exporters in use through the app's *slog.Logger
// (slog.Default() when the graph has none). OnStop flushes and shuts the provider down within fx's stop
// deadline minus a margin ([Config.StopMargin], at most half the time left), so it does not block past it
// and still has time to flush. Export failures are logged and, unless [Config.Strict] is set, do not fail
// app.Stop.
//
// # Ordering
//
// fx stops components in reverse order of construction. Everything built from the module's outputs
// (servers taking HTTPMiddleware or GRPCServerOptions) is constructed after the provider and therefore stopped
// before it: in-flight requests complete, their spans end, and only then does the provider flush. Make your
// servers depend on the module's outputs (or on *otelkit.Provider) so that this holds.
//
// # Plugins
//
// Another module adds behaviour by providing values into the groups, without code in this one:
// [AsSpanProcessor], [AsSampler], [AsMetricView], [AsMetricReader], [AsLogProcessor], [AsSessionSink],
// [ResourceAttributes] / [AsResourceAttribute], and [OverrideSettings] / [OverrideSettingsAt] (which fxoteltest
// uses).
//
// fx delivers the values of a group in a random order, different on every fx.New, and the module does not
// rely on it, so the same graph gives the same provider every time: settings overrides run by
// [OverrideStage], then in the order they were written; span processors, log processors and session sinks are
// sorted by Go type; views and readers do not depend on their order; and contradictions that an order would
// have to settle (two samplers, one resource attribute key with two values) fail fx.New with
// [ErrPluginConflict].
package fxotel
