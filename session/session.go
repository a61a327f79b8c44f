package session

import (
	"sync"

	"github.com/otelkit/otelkit"
)

// ScopeName is the instrumentation scope of the session package's logs.
const ScopeName = "github.com/otelkit/otelkit/session"

// Version is the instrumentation scope version of the session package's logs (the otelkit release).
const Version = otelkit.Version

// Telemetry records the events of one session. Create it with [New] or a [Factory], carry it in a context
// with [NewContext], and read it back with [FromContext].
//
// A nil *Telemetry is a no-op: every method may be called on it. All methods are safe for concurrent use.
type Telemetry struct {
	md  Metadata
	cfg *config
	rt  *runtimeBaseline // &rtOwn, or the baseline of the session this one was derived from

	rtOwn runtimeBaseline

	once sync.Once
	pre  precomputed // built once, on first use
}

// New returns a session for md. Nothing global is read unless [WithGlobals] is given.
func New(md Metadata, opts ...Option) *Telemetry {
	return newTelemetry(md, newConfig(opts), nil)
}

func newTelemetry(md Metadata, cfg *config, rt *runtimeBaseline) *Telemetry {
	md.Originator = sanitizeOriginator(md.Originator)
	t := &Telemetry{md: md, cfg: cfg, rt: rt}
	if rt == nil {
		t.rt = &t.rtOwn
	}
	return t
}

// Metadata returns the session's metadata (with the originator sanitised). A nil session returns the zero value.
func (t *Telemetry) Metadata() Metadata {
	if t == nil {
		return Metadata{}
	}
	return t.md
}

// WithModel returns a session like t for another model and slug (the model of a conversation can change
// between turns). It shares t's configuration and runtime-summary baseline. A nil t returns nil.
func (t *Telemetry) WithModel(model, slug string) *Telemetry {
	if t == nil {
		return nil
	}
	md := t.md
	md.Model, md.Slug = model, slug
	return newTelemetry(md, t.cfg, t.rt)
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
	return newTelemetry(md, f.cfg, nil)
}
