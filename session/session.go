package session

import (
	"sync"
	"sync/atomic"

	"github.com/otelkit/otelkit"
)

// ScopeName is the instrumentation scope of the session package's logs.
const ScopeName = "github.com/otelkit/otelkit/session"

// Version is the instrumentation scope version of the session package's logs (the otelkit release).
const Version = otelkit.Version

// Telemetry records the events of one session. Create it with [New] or a [Factory], carry it in a context
// with [NewContext], and read it back with [FromContext].
//
// A nil *Telemetry is a no-op: every method may be called on it. So is a zero Telemetry (one not made by
// New or a Factory), which has no configuration to record with. All methods are safe for concurrent use.
type Telemetry struct {
	md  Metadata
	cfg *config
	// rt is the runtime-summary baseline, made on first use (or shared with the session this one was derived
	// from). Sessions are made per request and most never ask for a summary, so it is not allocated up front.
	rt atomic.Pointer[runtimeBaseline]

	once sync.Once
	// other marks the metadata tag fields a client supplied with a value not allowed as a tag
	// ([WithAllowedTagValues]): they are tagged [TagValueOther]. (Here it fits in once's padding.)
	other tagFields
	pre   *precomputed // built once, on first event
}

// New returns a session for md. Nothing global is read unless [WithGlobals] is given.
func New(md Metadata, opts ...Option) *Telemetry {
	return newTelemetry(md, newConfig(opts), nil, 0)
}

func newTelemetry(md Metadata, cfg *config, rt *runtimeBaseline, other tagFields) *Telemetry {
	md.Originator = sanitizeOriginator(md.Originator)
	t := &Telemetry{md: md, cfg: cfg, other: other}
	if rt != nil {
		t.rt.Store(rt)
	}
	return t
}

// off reports whether t records nothing: a nil session, or a zero one that has no configuration.
func (t *Telemetry) off() bool { return t == nil || t.cfg == nil }

// baseline returns the session's runtime-summary baseline, creating it on first use.
func (t *Telemetry) baseline() *runtimeBaseline {
	if b := t.rt.Load(); b != nil {
		return b
	}
	if nb := new(runtimeBaseline); t.rt.CompareAndSwap(nil, nb) {
		return nb
	}
	return t.rt.Load()
}

// Metadata returns the session's metadata (with the originator sanitised). A nil session returns the zero value.
func (t *Telemetry) Metadata() Metadata {
	if t == nil {
		return Metadata{}
	}
	return t.md
}

// WithModel returns a session like t for another model and slug (the model of a conversation can change
// between turns). It shares t's configuration and runtime-summary baseline. The model is the host's, so
// it is a metric tag as given (sanitised), even when t's model came from the client. A nil t returns nil.
func (t *Telemetry) WithModel(model, slug string) *Telemetry {
	if t == nil {
		return nil
	}
	md := t.md
	md.Model, md.Slug = model, slug
	return newTelemetry(md, t.cfg, t.baseline(), t.other&^tagModel)
}

// Factory creates sessions that share one configuration (logger provider, metrics, sinks). It is what hosts
// and middleware hold: one Factory per process, one Telemetry per session. Make it with [NewFactory]; a
// zero Factory has no configuration and makes sessions that keep their metadata but record nothing.
type Factory struct{ cfg *config }

// NewFactory returns a Factory applying opts to every session it creates.
func NewFactory(opts ...Option) *Factory { return &Factory{cfg: newConfig(opts)} }

// New returns a session for md. md is the host's: its values become metric tags as given (sanitised).
// A nil Factory returns a nil (no-op) session; a zero Factory a no-op one.
func (f *Factory) New(md Metadata) *Telemetry { return f.newSession(md, 0) }

func (f *Factory) newSession(md Metadata, other tagFields) *Telemetry {
	if f == nil {
		return nil
	}
	return newTelemetry(md, f.cfg, nil, other)
}
