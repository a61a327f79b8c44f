package fxotel

import (
	"fmt"
	"log/slog"
	"reflect"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
)

// Module provides the OpenTelemetry provider and everything built on it to an fx application:
//
//   - *otelkit.Provider, trace.TracerProvider, metric.MeterProvider, log.LoggerProvider and
//     propagation.TextMapPropagator;
//   - *metrics.Client on the provider's meter pipeline;
//   - *session.Factory and *session.Resolver (session events go to the provider's logs, spans and metrics);
//   - [HTTPMiddleware], [HTTPTransport], [GRPCServerOptions] and [GRPCDialOptions], ready to use.
//
// Settings come from an otelkit.Settings in the graph when one is supplied (a zero Settings counts as absent;
// use Disabled to turn everything off), otherwise from the OTEL_* environment. Other modules add processors,
// samplers, views, readers, resource attributes and session sinks through the As… helpers.
//
// The provider starts with the app and shuts down when it stops, after every component that depends on it
// (fx stops in reverse order of construction): servers built with the module's middleware or options drain
// before the final flush. Stop keeps to fx's stop deadline (see [Config.StopMargin]).
var Module = fx.Module("otel",
	fx.Provide(
		newProvider,
		newMetrics,
		newSessions,
		newHTTP,
		newGRPC,
	),
	fx.Invoke(func(*otelkit.Provider) {}), // build the provider, and register its lifecycle, even if nothing else asks for it
)

// Params are the module's inputs. Every one but Lifecycle is optional; the groups are filled by the As…
// helpers of other modules.
type Params struct {
	fx.In

	// Lifecycle gets the provider's start and stop hooks.
	Lifecycle fx.Lifecycle
	// Settings configure the provider. Absent (or zero), they are read from the OTEL_* environment.
	Settings otelkit.Settings `optional:"true"`
	// Config tunes the module itself: globals, runtime metrics, stop behaviour, inbound trust, health paths
	// and session keys.
	Config Config `optional:"true"`
	// Logger gets the start and stop reports and export problems. Without one, the reports go to
	// slog.Default() and export problems to the OpenTelemetry error handler.
	Logger *slog.Logger `optional:"true"`

	// SpanProcessors are plugin span processors ([AsSpanProcessor]), run in the order of their type names.
	SpanProcessors []sdktrace.SpanProcessor `group:"otel.span_processors"`
	// Samplers holds at most one sampler ([AsSampler]), which replaces Settings.Sampler.
	Samplers []sdktrace.Sampler `group:"otel.samplers"`
	// MetricViews are metric views ([AsMetricView]).
	MetricViews []sdkmetric.View `group:"otel.metric_views"`
	// MetricReaders are extra metric readers ([AsMetricReader]).
	MetricReaders []sdkmetric.Reader `group:"otel.metric_readers"`
	// LogProcessors are plugin log processors ([AsLogProcessor]), run in the order of their type names.
	LogProcessors []sdklog.Processor `group:"otel.log_processors"`
	// ResourceAttributes are added to the resource ([ResourceAttributes], [AsResourceAttribute]); a key may
	// appear twice only with the same value.
	ResourceAttributes []attribute.KeyValue `group:"otel.resource_attributes"`
	// SettingsOverrides are overrides put into the group directly rather than with OverrideSettings, which
	// carry no order: at most one is accepted, and it runs at the end of StageAdjust.
	SettingsOverrides []SettingsOverride `group:"otel.settings_overrides"`
}

// Result is what the module provides about the provider.
type Result struct {
	fx.Out

	// Provider is the otelkit provider, for everything the interfaces below do not cover (Stats, ForceFlush,
	// SlogHandler). Its lifecycle belongs to the module: do not shut it down yourself.
	Provider *otelkit.Provider
	// TracerProvider is the provider's tracer provider (a no-op one when traces are off).
	TracerProvider trace.TracerProvider
	// MeterProvider is the provider's meter provider (a no-op one when metrics are off).
	MeterProvider metric.MeterProvider
	// LoggerProvider is the provider's logger provider (a no-op one when logs are off).
	LoggerProvider log.LoggerProvider
	// Propagator is the text-map propagator chosen by Settings.Propagators.
	Propagator propagation.TextMapPropagator
}

// providerParams adds what the module reads from its groups but does not document as inputs.
type providerParams struct {
	fx.In
	Params

	StagedOverrides []stagedOverride `group:"otel.settings_overrides"`
}

func newProvider(in providerParams) (Result, error) {
	if err := in.Config.validate(); err != nil {
		return Result{}, err
	}
	s := in.Settings
	if reflect.ValueOf(s).IsZero() {
		env, err := otelkit.SettingsFromEnv()
		if err != nil {
			return Result{}, err
		}
		s = env
	}
	if err := applyOverrides(&s, in.StagedOverrides, in.SettingsOverrides); err != nil {
		return Result{}, err
	}
	resAttrs, err := resourceAttributes(in.ResourceAttributes)
	if err != nil {
		return Result{}, err
	}
	logger := in.Logger
	if logger == nil {
		logger = slog.Default() // the exporters in use and the shutdown report are worth seeing
	}
	opts := []otelkit.Option{
		otelkit.WithManualStart(), // started in OnStart: if fx.New fails later, nothing is left running
		otelkit.WithView(in.MetricViews...),
		otelkit.WithResourceAttributes(resAttrs...),
	}
	if in.Logger != nil {
		opts = append(opts, otelkit.WithErrorHandler(func(err error) {
			in.Logger.Warn("opentelemetry export problem", "error", err)
		}))
	}
	for _, sp := range sortByType(in.SpanProcessors) {
		opts = append(opts, otelkit.WithSpanProcessor(sp))
	}
	switch n := len(in.Samplers); {
	case n == 1:
		opts = append(opts, otelkit.WithSampler(in.Samplers[0]))
	case n > 1:
		return Result{}, fmt.Errorf("%w: %d samplers provided through %q; at most one is allowed",
			ErrPluginConflict, n, GroupSamplers)
	}
	for _, r := range in.MetricReaders {
		opts = append(opts, otelkit.WithMetricReader(r))
	}
	for _, lp := range sortByType(in.LogProcessors) {
		opts = append(opts, otelkit.WithLogProcessor(lp))
	}
	p, err := otelkit.NewProvider(s, opts...)
	if err != nil {
		return Result{}, err
	}
	in.Lifecycle.Append(lifecycle(p, in.Config, logger))
	return Result{
		Provider:       p,
		TracerProvider: p.TracerProvider(),
		MeterProvider:  p.MeterProvider(),
		LoggerProvider: p.LoggerProvider(),
		Propagator:     p.Propagator(),
	}, nil
}

func newMetrics(p *otelkit.Provider) (*metrics.Client, error) {
	c, err := metrics.NewFromProvider(p)
	if err != nil {
		return nil, fmt.Errorf("fxotel: metrics client: %w", err)
	}
	return c, nil
}

type sessionParams struct {
	fx.In
	Provider *otelkit.Provider
	Metrics  *metrics.Client
	Config   Config         `optional:"true"`
	Sinks    []session.Sink `group:"otel.session_sinks"`
	Logger   *slog.Logger   `optional:"true"`
}

type sessionResult struct {
	fx.Out
	Factory  *session.Factory
	Resolver *session.Resolver
}

func newSessions(in sessionParams) sessionResult {
	opts := []session.Option{session.WithLoggerProvider(in.Provider.EventLoggerProvider()), session.WithMetrics(in.Metrics)}
	for _, s := range sortByType(in.Sinks) {
		opts = append(opts, session.WithSink(s))
	}
	if in.Logger != nil {
		opts = append(opts, session.WithErrorHandler(func(err error) { in.Logger.Warn("session telemetry", "error", err) }))
	}
	f := session.NewFactory(opts...)
	var ropts []session.ResolverOption
	if in.Config.SessionKeys != nil {
		ropts = append(ropts, session.WithKeys(*in.Config.SessionKeys))
	}
	return sessionResult{Factory: f, Resolver: session.NewResolver(f, ropts...)}
}
