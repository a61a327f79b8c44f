package session

import (
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/log"
	lognoop "go.opentelemetry.io/otel/log/noop"

	"github.com/otelkit/otelkit/metrics"
)

// Option configures sessions ([New], [NewFactory]). Options are applied in order; nil options are ignored.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	logger     log.Logger
	metrics    *metrics.Client
	handle     func(error)
	now        func() time.Time
	noMetaTags bool
	sinks      []Sink
	useGlobals bool
	loggerSet  bool
}

func newConfig(opts []Option) *config {
	c := &config{now: time.Now, handle: otel.Handle}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if !c.loggerSet {
		if c.useGlobals {
			c.logger = otel.Logger(ScopeName, log.WithInstrumentationVersion(Version))
		} else {
			c.logger = lognoop.NewLoggerProvider().Logger(ScopeName)
		}
	}
	return c
}

// WithLoggerProvider sets where session log records go: normally Provider.EventLoggerProvider(), which
// skips the SDK's attribute deduplication (a session record never repeats a key, and deduplicating ~20
// attributes one by one costs most of an event). Without it, and without [WithGlobals], sessions log
// nothing. Nil is ignored; the last one wins.
func WithLoggerProvider(lp log.LoggerProvider) Option {
	return optionFunc(func(c *config) {
		if lp != nil {
			c.logger = lp.Logger(ScopeName, log.WithInstrumentationVersion(Version))
			c.loggerSet = true
		}
	})
}

// WithGlobals makes sessions use the OpenTelemetry global logger provider when [WithLoggerProvider] is not
// given. This is the only way a session reaches a global; nothing is looked up otherwise. Span events
// always go to the span in the event's context, wherever it came from.
func WithGlobals() Option { return optionFunc(func(c *config) { c.useGlobals = true }) }

// WithMetrics sets the metrics client that session events record their metrics with (reference §3.4 and
// §4.7 names). Without it, or with nil, sessions record no metrics and [Telemetry.RuntimeSummary] returns
// [ErrNoMetrics]. The last one wins.
func WithMetrics(c *metrics.Client) Option { return optionFunc(func(cfg *config) { cfg.metrics = c }) }

// WithoutMetadataTags stops adding the session's bounded metadata (auth_mode, session_source, originator,
// service_name, model, app.version) as metric tags; metrics then carry only the client's default tags and
// the event's own tags. Metadata tags are on by default.
func WithoutMetadataTags() Option { return optionFunc(func(c *config) { c.noMetaTags = true }) }

// WithErrorHandler receives the errors no caller can be given: metric recording failures (an invalid
// per-call tag, an instrument conflict, a shut-down client). Events never return errors. The default is
// otel.Handle; nil is ignored; the last one wins.
func WithErrorHandler(h func(error)) Option {
	return optionFunc(func(c *config) {
		if h != nil {
			c.handle = h
		}
	})
}

// WithClock replaces time.Now for event timestamps and [Telemetry.RunTool] durations (tests). Nil is
// ignored; the last one wins.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithSink adds a sink that receives every event after it is logged, traced and measured. Appends.
func WithSink(s Sink) Option {
	return optionFunc(func(c *config) {
		if s != nil {
			c.sinks = append(c.sinks, s)
		}
	})
}
