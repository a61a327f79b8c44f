package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/internal/jsonconf"
)

// DefaultCardinalityLimit is the default cap on distinct tag sets per instrument (the SDK's default).
const DefaultCardinalityLimit = 2000

// Temporality values of [Config].
const (
	// TemporalityCumulative reports totals since the start (the default).
	TemporalityCumulative = "cumulative"
	// TemporalityDelta reports what changed since the previous export (what codex-otel used).
	TemporalityDelta = "delta"
)

// Config configures a [Client] built by [New]. It can be decoded from JSON or YAML. The zero value is
// not usable on its own: Exporter must be set.
type Config struct {
	// Environment becomes the resource attribute deployment.environment.name.
	Environment string `json:"environment,omitempty" yaml:"environment,omitempty"`
	// ServiceName becomes service.name (default "unknown_service:<executable>").
	ServiceName string `json:"service_name,omitempty" yaml:"service_name,omitempty"`
	// ServiceVersion becomes service.version.
	ServiceVersion string `json:"service_version,omitempty" yaml:"service_version,omitempty"`
	// Exporter says where metrics go: otelkit.OTLP, OTLPJSON, OTLPGRPC, Console or InMemory. It must not be
	// off; [New] returns [ErrExporterDisabled] then.
	Exporter otelkit.Exporter `json:"exporter" yaml:"exporter"`
	// ExportInterval is the period of exports (default 60s). Shutdown and ForceFlush export at once.
	// In JSON it is a Go duration string such as "60s" or integer nanoseconds (what encoding/json writes), as
	// otelkit.Settings.MetricExportInterval is; see [Config.UnmarshalJSON]. (YAML decoders that know
	// time.Duration, such as gopkg.in/yaml.v3, accept "60s" too.)
	ExportInterval time.Duration `json:"export_interval,omitempty" yaml:"export_interval,omitempty"`
	// Temporality is "cumulative" (the default) or "delta", in any case ("Delta" is "delta"), as
	// otelkit.Settings.MetricTemporality is. Gauges are unaffected.
	Temporality string `json:"temporality,omitempty" yaml:"temporality,omitempty"`
	// DefaultTags are added to every measurement; a call's tag with the same key wins. They are validated
	// by New like any tag.
	DefaultTags map[string]string `json:"default_tags,omitempty" yaml:"default_tags,omitempty"`
	// CardinalityLimit caps the distinct tag sets of each instrument over the client's life (default
	// [DefaultCardinalityLimit]). Measurements with a new tag set beyond the cap are recorded into the
	// overflow series {otel.metric.overflow="true"} and counted in [Client.Overflows]. Negative is an error:
	// unlike otelkit.Settings.MetricCardinalityLimit there is no "no limit", because the client's series
	// cache must stay bounded.
	// The owned provider's SDK limit is set to match; with a shared provider its own limit applies too.
	CardinalityLimit int `json:"cardinality_limit,omitempty" yaml:"cardinality_limit,omitempty"`
	// DisableSnapshot removes the manual reader behind [Client.Snapshot] (which then returns
	// [ErrSnapshotUnavailable]). The reader is on by default; it costs one more aggregation per measurement.
	DisableSnapshot bool `json:"disable_snapshot,omitempty" yaml:"disable_snapshot,omitempty"`
	// Instruments declares the unit and description of instruments by metric name (see [Client.Describe]).
	Instruments map[string]InstrumentInfo `json:"instruments,omitempty" yaml:"instruments,omitempty"`
}

// InstrumentInfo is the unit and description of an instrument.
type InstrumentInfo struct {
	// Unit is a UCUM unit such as "ms", "By" or "{request}". Empty means none, or for duration histograms
	// their fixed unit.
	Unit string `json:"unit,omitempty" yaml:"unit,omitempty"`
	// Description is a human-readable description. Empty means none, or for duration histograms
	// [DescriptionMilliseconds] / [DescriptionSeconds].
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// Option configures a [Client] beyond [Config]. Options apply to every constructor unless their
// documentation says otherwise; nil options and nil arguments are ignored.
type Option interface{ apply(*options) }

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

type options struct {
	defaults      map[string]string
	limit         int
	limitSet      bool
	now           func() time.Time
	handle        func(error)
	providerOpts  []otelkit.Option
	instrumentDef map[string]InstrumentInfo
}

func newOptions(opts []Option) options {
	o := options{now: time.Now, handle: otel.Handle}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	return o
}

// WithDefaultTags adds default tags, applied to every measurement. For [New] they are merged over
// Config.DefaultTags (the option wins on a repeated key). Appends.
func WithDefaultTags(tags ...Tag) Option {
	return optionFunc(func(o *options) {
		if o.defaults == nil {
			o.defaults = make(map[string]string, len(tags))
		}
		for _, t := range tags {
			o.defaults[t.Key] = t.Value
		}
	})
}

// WithCardinalityLimit sets the cap on distinct tag sets per instrument (default
// [DefaultCardinalityLimit]; it overrides Config.CardinalityLimit). It must be positive, and for
// [NewFromProvider] it must fit the provider's own limit (see there). The last one wins.
func WithCardinalityLimit(n int) Option {
	return optionFunc(func(o *options) { o.limit, o.limitSet = n, true })
}

// WithClock replaces time.Now as the clock of timers (useful in tests). The last one wins.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(o *options) {
		if now != nil {
			o.now = now
		}
	})
}

// WithErrorHandler receives errors that have no caller to return to, such as a panic in an observable
// gauge callback. The default is otel.Handle. For [New] it also becomes the provider's error handler
// (export failures). The last one wins.
func WithErrorHandler(h func(error)) Option {
	return optionFunc(func(o *options) {
		if h != nil {
			o.handle = h
		}
	})
}

// WithProviderOptions passes options (views, extra readers, resource attributes) to the otelkit.Provider
// that [New] builds. Other constructors ignore it. Appends.
func WithProviderOptions(opts ...otelkit.Option) Option {
	return optionFunc(func(o *options) { o.providerOpts = append(o.providerOpts, opts...) })
}

// WithInstrument declares the unit and description of the instrument called name, as [Client.Describe]
// does. It overrides Config.Instruments for that name. The last one for a name wins.
func WithInstrument(name string, info InstrumentInfo) Option {
	return optionFunc(func(o *options) {
		if o.instrumentDef == nil {
			o.instrumentDef = make(map[string]InstrumentInfo)
		}
		o.instrumentDef[name] = info
	})
}

// UnmarshalJSON implements json.Unmarshaler. ExportInterval, and the durations of Exporter, may be Go
// duration strings such as "60s" or integer nanoseconds; a bad one is an error wrapping [ErrInvalidConfig]
// (and, inside Exporter, otelkit.ErrInvalidSettings) that names the key.
func (c *Config) UnmarshalJSON(b []byte) error {
	type plain Config
	aux := struct {
		*plain
		ExportInterval *jsonconf.Duration `json:"export_interval,omitempty"`
	}{(*plain)(c), jsonconf.Field("export_interval", &c.ExportInterval)}
	err := json.Unmarshal(b, &aux)
	var je *jsonconf.Error
	if errors.As(err, &je) {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, je)
	}
	var se *otelkit.SettingsError
	if errors.As(err, &se) { // a bad duration inside Exporter: name it from the top of the document
		return fmt.Errorf("%w: %w", ErrInvalidConfig,
			&otelkit.SettingsError{Field: "exporter." + se.Field, Reason: se.Reason, Err: se.Err})
	}
	return err
}
