package otelkit

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Option adds behaviour to a Provider beyond what [Settings] describes: extra processors, readers, views,
// resource attributes, or an error handler. Nil arguments are ignored. List options append.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	spanProcessors []sdktrace.SpanProcessor
	sampler        sdktrace.Sampler
	readers        []sdkmetric.Reader
	views          []sdkmetric.View
	logProcessors  []sdklog.Processor
	resAttrs       []attribute.KeyValue
	handle         func(error)
	manualStart    bool
}

func newConfig(opts []Option) config {
	c := config{handle: otel.Handle}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithSpanProcessor registers a span processor after the span-attributes processor and before the exporting
// batch processor. It makes the provider record traces even when Settings.Traces is off. Appends.
func WithSpanProcessor(sp sdktrace.SpanProcessor) Option {
	return optionFunc(func(c *config) {
		if sp != nil {
			c.spanProcessors = append(c.spanProcessors, sp)
		}
	})
}

// WithSampler replaces the sampler chosen by Settings.Sampler (and OTEL_TRACES_SAMPLER). The last one wins.
func WithSampler(s sdktrace.Sampler) Option {
	return optionFunc(func(c *config) {
		if s != nil {
			c.sampler = s
		}
	})
}

// WithMetricReader registers an extra metric reader, such as a Prometheus exporter or a manual reader.
// It makes the provider record metrics even when Settings.Metrics is off. Appends.
func WithMetricReader(r sdkmetric.Reader) Option {
	return optionFunc(func(c *config) {
		if r != nil {
			c.readers = append(c.readers, r)
		}
	})
}

// WithView registers metric views (renames, bucket boundaries, attribute filters). Appends.
func WithView(views ...sdkmetric.View) Option {
	return optionFunc(func(c *config) {
		for _, v := range views {
			if v != nil {
				c.views = append(c.views, v)
			}
		}
	})
}

// WithLogProcessor registers a log processor before the exporting batch processor. It makes the provider
// record logs even when Settings.Logs is off. Appends.
func WithLogProcessor(p sdklog.Processor) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.logProcessors = append(c.logProcessors, p)
		}
	})
}

// WithResourceAttributes adds resource attributes. They override Settings.ResourceAttributes but not
// service.name, service.version or deployment.environment.name from Settings. Appends.
func WithResourceAttributes(attrs ...attribute.KeyValue) Option {
	return optionFunc(func(c *config) { c.resAttrs = append(c.resAttrs, attrs...) })
}

// WithErrorHandler receives export failures, partial successes and drop warnings ([ExportError],
// [PartialSuccessError], [DropError]). The default is otel.Handle, the OpenTelemetry global error handler.
// The last one wins.
//
// The handler is called from a goroutine of the provider's own, one warning at a time, so that it may log
// through this provider; it must not block for long. The warnings made before [Provider.ForceFlush] or
// [Provider.Shutdown] returns have reached it by then, unless the handler is still busy when their deadline
// (plus 25ms) has passed: those come later. Up to 256 warnings wait for a slow handler; beyond that, and
// after Shutdown, they are counted in [Stats].UnreportedWarnings instead.
func WithErrorHandler(h func(error)) Option {
	return optionFunc(func(c *config) {
		if h != nil {
			c.handle = h
		}
	})
}

// WithManualStart makes NewProvider start nothing: the batch workers and the metric export loop start with
// [Provider.Start] (or the first ForceFlush or Shutdown). Telemetry recorded before Start is kept (span and log
// queues are bounded as always; metrics aggregate). Frameworks use it to start in their start hook, so that a
// provider built during a construction that then fails leaves no goroutine behind. fxotel does this.
func WithManualStart() Option { return optionFunc(func(c *config) { c.manualStart = true }) }
