package otelkit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/log"
	lognoop "go.opentelemetry.io/otel/log/noop"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// Provider owns the OpenTelemetry tracer, meter and logger providers built from [Settings], and their
// delivery: bounded batch queues, OTLP exporters with retries, and a Shutdown that flushes within a deadline.
//
// A Provider with every signal off is a usable no-op. All methods are safe for concurrent use.
type Provider struct {
	settings   Settings
	plan       *plan
	res        *resource.Resource
	propagator propagation.TextMapPropagator
	reporter   *reporter // calls the error handler off the pipelines' goroutines

	tp  *sdktrace.TracerProvider // nil when traces are off
	mp  *sdkmetric.MeterProvider // nil when metrics are off
	lp  *sdklog.LoggerProvider   // nil when logs are off
	elp *sdklog.LoggerProvider   // EventLoggerProvider: same processors, no attribute deduplication
	spp *spanProcessor           // our exporting span processor, if any
	lgp *logProcessor            // our exporting log processor, if any
	mpl *metricPipeline          // our exporting metric pipeline, if any

	snapshot *sdkmetric.ManualReader

	traces, metrics, logs *sink

	startOnce       sync.Once
	shutdownStarted atomic.Bool
	shutdownDone    chan struct{}
	shutdownErr     error
}

// NewProvider validates s and builds a Provider. Every setting is checked, and files are read, before
// anything is started; an invalid setting gives an error wrapping [ErrInvalidSettings] that names the field
// (see [SettingsError]) and never contains a header value. NewProvider does not touch the OTel globals:
// see [Provider.InstallGlobals].
func NewProvider(s Settings, opts ...Option) (*Provider, error) {
	pl, err := validate(s)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	res, err := buildResource(pl, cfg.resAttrs)
	if err != nil && res == nil {
		return nil, invalidErr("ResourceAttributes", "cannot build the resource", err)
	}
	rep := newReporter(cfg.handle)
	p := &Provider{
		settings: pl.settings, plan: pl, res: res, propagator: pl.propagator, reporter: rep,
		traces:       &sink{signal: SignalTraces, handle: rep.report, redact: newRedactor(pl.traces.headers, pl.traces.url)},
		metrics:      &sink{signal: SignalMetrics, handle: rep.report, redact: newRedactor(pl.metrics.headers, pl.metrics.url)},
		logs:         &sink{signal: SignalLogs, handle: rep.report, redact: newRedactor(pl.logs.headers, pl.logs.url)},
		shutdownDone: make(chan struct{}),
	}
	if pl.settings.Disabled {
		return p, nil
	}
	// Create everything that can fail before starting any goroutine. Clients connect on first use.
	tup, mup, lup := p.uploader(pl.traces, p.traces), p.uploader(pl.metrics, p.metrics), p.uploader(pl.logs, p.logs)
	if err := p.buildTraces(cfg, tup); err != nil {
		closeAll(tup, mup, lup)
		return nil, err
	}
	if err := p.buildMetrics(cfg, mup); err != nil {
		closeAll(tup, mup, lup)
		return nil, err
	}
	if err := p.buildLogs(cfg, lup); err != nil {
		closeAll(tup, mup, lup)
		return nil, err
	}
	if !cfg.manualStart {
		p.Start()
	}
	return p, nil
}

// Start starts the provider's background work: the batch workers and the metric export loop. NewProvider
// calls it unless [WithManualStart] is given. It is idempotent and never blocks.
func (p *Provider) Start() {
	p.startOnce.Do(func() {
		if p.spp != nil {
			p.spp.q.Start()
		}
		if p.lgp != nil {
			p.lgp.q.Start()
		}
		if p.mpl != nil {
			p.mpl.start()
		}
	})
}

// uploader creates the OTLP client of one signal (no connection is made yet), or nil.
func (p *Provider) uploader(ep exporterPlan, s *sink) uploader {
	if ep.kind != ExporterOTLP {
		return nil
	}
	return newUploader(ep, s)
}

func closeAll(ups ...uploader) {
	for _, u := range ups {
		if u != nil {
			_ = u.shutdown(context.Background())
		}
	}
}

func (p *Provider) buildTraces(cfg config, up uploader) error {
	ep := p.plan.traces
	if ep.kind == ExporterNone && len(cfg.spanProcessors) == 0 {
		return nil
	}
	smp := p.plan.sampler
	if cfg.sampler != nil {
		smp = cfg.sampler
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(p.res), sdktrace.WithSampler(smp)}
	if len(p.plan.spanAttrs) > 0 {
		opts = append(opts, sdktrace.WithSpanProcessor(attrProcessor{attrs: p.plan.spanAttrs}))
	}
	for _, sp := range cfg.spanProcessors {
		opts = append(opts, sdktrace.WithSpanProcessor(sp))
	}
	exp, err := spanExporter(ep, up, p.traces)
	if err != nil {
		return invalidErr("Traces", "cannot create the exporter", err)
	}
	switch {
	case exp == nil:
	case ep.kind == ExporterMemory:
		opts = append(opts, sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)))
	default:
		p.spp = newSpanProcessor(exp, p.plan.spanBatch, exportConcurrency(ep, p.plan.spanBatch), p.traces)
		opts = append(opts, sdktrace.WithSpanProcessor(sdkSpans{p.spp}))
	}
	p.tp = sdktrace.NewTracerProvider(opts...)
	return nil
}

func (p *Provider) buildMetrics(cfg config, up uploader) error {
	ep := p.plan.metrics
	if ep.kind == ExporterNone && len(cfg.readers) == 0 && !p.settings.SnapshotReader {
		return nil
	}
	// Always set: without it the SDK reads OTEL_GO_X_CARDINALITY_LIMIT from the environment. A negative limit
	// (no limit) is passed as is; the SDK treats zero or less as none.
	opts := []sdkmetric.Option{sdkmetric.WithResource(p.res), sdkmetric.WithCardinalityLimit(p.plan.cardinality)}
	exp, err := newMetricExporter(ep, up, p.metrics)
	if err != nil {
		return invalidErr("Metrics", "cannot create the exporter", err)
	}
	if exp != nil {
		p.mpl = newMetricPipeline(exp, p.plan.temporality, p.plan.interval, p.plan.metricTimeout, p.metrics)
		opts = append(opts, sdkmetric.WithReader(p.mpl.reader))
	}
	if p.settings.SnapshotReader {
		p.snapshot = sdkmetric.NewManualReader(sdkmetric.WithTemporalitySelector(p.plan.temporality))
		opts = append(opts, sdkmetric.WithReader(p.snapshot))
	}
	for _, r := range cfg.readers {
		opts = append(opts, sdkmetric.WithReader(r))
	}
	if len(cfg.views) > 0 {
		opts = append(opts, sdkmetric.WithView(cfg.views...))
	}
	p.mp = sdkmetric.NewMeterProvider(opts...)
	return nil
}

func (p *Provider) buildLogs(cfg config, up uploader) error {
	ep := p.plan.logs
	if ep.kind == ExporterNone && len(cfg.logProcessors) == 0 {
		return nil
	}
	procs := append([]sdklog.Processor(nil), cfg.logProcessors...)
	exp, err := logExporter(ep, up, p.logs)
	if err != nil {
		return invalidErr("Logs", "cannot create the exporter", err)
	}
	switch {
	case exp == nil:
	case ep.kind == ExporterMemory:
		procs = append(procs, sdklog.NewSimpleProcessor(exp))
	default:
		p.lgp = newLogProcessor(exp, p.plan.logBatch, exportConcurrency(ep, p.plan.logBatch), p.logs)
		procs = append(procs, sdkLogs{p.lgp})
	}
	opts := []sdklog.LoggerProviderOption{sdklog.WithResource(p.res)}
	for _, pr := range procs {
		opts = append(opts, sdklog.WithProcessor(pr))
	}
	p.lp = sdklog.NewLoggerProvider(opts...)
	// The event logger provider skips the SDK's attribute deduplication and hands its records to the same
	// processors (queue, exporter, plugins, stats); the main provider flushes and shuts them down.
	p.elp = sdklog.NewLoggerProvider(sdklog.WithResource(p.res), sdklog.WithAllowKeyDuplication(),
		sdklog.WithProcessor(forwardProcessor(procs)))
	return nil
}

// sdkSpans registers our span processor with the SDK for OnStart and OnEnd only. The Provider flushes and
// shuts it down itself, once per call: the SDK's ForceFlush and Shutdown skip the remaining processors once
// ctx has expired, and calling ours both through the SDK and directly made a second round of attempts and
// duplicated every error.
type sdkSpans struct{ *spanProcessor }

func (sdkSpans) ForceFlush(context.Context) error { return nil }
func (sdkSpans) Shutdown(context.Context) error   { return nil }

// sdkLogs registers our log processor with the SDK for Enabled and OnEmit only; see [sdkSpans].
type sdkLogs struct{ *logProcessor }

func (sdkLogs) ForceFlush(context.Context) error { return nil }
func (sdkLogs) Shutdown(context.Context) error   { return nil }

// forwardProcessor passes records to processors owned by another logger provider. Flushing and shutting
// them down is left to their owner.
type forwardProcessor []sdklog.Processor

func (f forwardProcessor) Enabled(ctx context.Context, param sdklog.EnabledParameters) bool {
	for _, p := range f {
		if p.Enabled(ctx, param) {
			return true
		}
	}
	return false
}

func (f forwardProcessor) OnEmit(ctx context.Context, r *sdklog.Record) error {
	var errs []error
	for _, p := range f {
		if err := p.OnEmit(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (forwardProcessor) ForceFlush(context.Context) error { return nil }
func (forwardProcessor) Shutdown(context.Context) error   { return nil }

// exportConcurrency is how many batches the exporter of ep may send at once: OTLP clients are safe for
// concurrent use; other exporters (the console) get one at a time.
func exportConcurrency(ep exporterPlan, b Batch) int {
	if ep.kind == ExporterOTLP {
		return b.MaxConcurrentExports
	}
	return 1
}

// TracerProvider returns the tracer provider (a no-op one when traces are off).
func (p *Provider) TracerProvider() trace.TracerProvider {
	if p.tp == nil {
		return tracenoop.NewTracerProvider()
	}
	return p.tp
}

// MeterProvider returns the meter provider (a no-op one when metrics are off).
func (p *Provider) MeterProvider() metric.MeterProvider {
	if p.mp == nil {
		return metricnoop.NewMeterProvider()
	}
	return p.mp
}

// LoggerProvider returns the logger provider (a no-op one when logs are off).
func (p *Provider) LoggerProvider() log.LoggerProvider {
	if p.lp == nil {
		return lognoop.NewLoggerProvider()
	}
	return p.lp
}

// EventLoggerProvider returns a logger provider for emitters that never repeat an attribute key within a
// record, such as the session package. Its records go through the same processors and exporter as
// LoggerProvider's, but skip the SDK's attribute deduplication, whose cost grows with the square of the
// attribute count (about 70% of a session event with ~20 attributes). Use LoggerProvider for anything that
// may repeat keys (slog does: logger.With("k", 1).Info("", "k", 2)).
func (p *Provider) EventLoggerProvider() log.LoggerProvider {
	if p.elp == nil {
		return lognoop.NewLoggerProvider()
	}
	return p.elp
}

// Propagator returns the text-map propagator from Settings.Propagators: W3C trace context (with the
// configured tracestate members merged into every injected tracestate, and inbound size limits) and baggage.
func (p *Provider) Propagator() propagation.TextMapPropagator { return p.propagator }

// Resource returns the resource attached to every signal.
func (p *Provider) Resource() *resource.Resource { return p.res }

// Settings returns the settings the provider was built from, with Disabled applied.
func (p *Provider) Settings() Settings { return p.settings }

// SnapshotReader returns the manual metric reader enabled by Settings.SnapshotReader, or nil. Collecting
// from it does not affect the periodic export.
func (p *Provider) SnapshotReader() *sdkmetric.ManualReader { return p.snapshot }

// Stats returns what happened so far to the provider's spans, metric points and log records.
func (p *Provider) Stats() Stats {
	return Stats{Spans: p.traces.snapshot(), MetricPoints: p.metrics.snapshot(), LogRecords: p.logs.snapshot(),
		UnreportedWarnings: p.reporter.lost.Load()}
}

// Enabled reports whether any signal is recorded.
func (p *Provider) Enabled() bool { return p.tp != nil || p.mp != nil || p.lp != nil }
