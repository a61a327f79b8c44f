package session

import (
	"time"

	"go.opentelemetry.io/otel/log"
	logglobal "go.opentelemetry.io/otel/log/global"
	lognoop "go.opentelemetry.io/otel/log/noop"

	"github.com/otelkit/otelkit"
)

// ScopeName is the instrumentation scope of the session package's logs.
const ScopeName = "github.com/otelkit/otelkit/session"

// Telemetry records the events of one session. Create it with [New] or a [Factory], carry it in a context
// with [NewContext], and read it back with [FromContext].
//
// A nil *Telemetry is a no-op: every method may be called on it. All methods are safe for concurrent use.
type Telemetry struct {
	md  Metadata
	cfg *config
}

// Option configures sessions. Options are applied in order; nil options are ignored.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	logger     log.Logger
	now        func() time.Time
	noMetaTags bool
	sinks      []Sink
	useGlobals bool
	loggerSet  bool
}

func newConfig(opts []Option) *config {
	c := &config{now: time.Now}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if !c.loggerSet {
		if c.useGlobals {
			c.logger = logglobal.Logger(ScopeName, log.WithInstrumentationVersion(otelkit.Version))
		} else {
			c.logger = lognoop.NewLoggerProvider().Logger(ScopeName)
		}
	}
	return c
}

// WithLoggerProvider sets where session log records go (for example Provider.LoggerProvider()). Without it,
// and without [WithGlobals], sessions log nothing. The last one wins.
func WithLoggerProvider(lp log.LoggerProvider) Option {
	return optionFunc(func(c *config) {
		if lp != nil {
			c.logger = lp.Logger(ScopeName, log.WithInstrumentationVersion(otelkit.Version))
			c.loggerSet = true
		}
	})
}

// WithGlobals makes sessions use the OpenTelemetry global logger provider when no logger provider is given.
// This is the only way a session reaches a global; nothing is looked up otherwise.
func WithGlobals() Option { return optionFunc(func(c *config) { c.useGlobals = true }) }

// WithoutMetadataTags stops adding the session's bounded metadata (auth mode, session source, originator,
// service name, model, app version) as metric attributes.
func WithoutMetadataTags() Option { return optionFunc(func(c *config) { c.noMetaTags = true }) }

// WithClock replaces time.Now for event timestamps (tests). Nil is ignored.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithSink adds a sink that receives every event after it is logged and traced. Appends.
func WithSink(s Sink) Option {
	return optionFunc(func(c *config) {
		if s != nil {
			c.sinks = append(c.sinks, s)
		}
	})
}

// New returns a session for md. Nothing global is read unless [WithGlobals] is given.
func New(md Metadata, opts ...Option) *Telemetry {
	return newTelemetry(md, newConfig(opts))
}

func newTelemetry(md Metadata, cfg *config) *Telemetry {
	md.Originator = sanitizeOriginator(md.Originator)
	return &Telemetry{md: md, cfg: cfg}
}

// Metadata returns the session's metadata (with the originator sanitised). A nil session returns the zero value.
func (t *Telemetry) Metadata() Metadata {
	if t == nil {
		return Metadata{}
	}
	return t.md
}

// Factory creates sessions that share one configuration (logger provider, metrics, sinks). It is what hosts
// and middleware hold: one Factory per process, one Telemetry per session.
type Factory struct{ cfg *config }

// NewFactory returns a Factory applying opts to every session it creates.
func NewFactory(opts ...Option) *Factory { return &Factory{cfg: newConfig(opts)} }

// New returns a session for md. A nil Factory returns a nil (no-op) session.
func (f *Factory) New(md Metadata) *Telemetry {
	if f == nil {
		return nil
	}
	return newTelemetry(md, f.cfg)
}
