package metrics

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit"
)

// ScopeName is the instrumentation scope name of the meter the client records with (this package's
// import path). The scope version is otelkit.Version.
const ScopeName = "github.com/otelkit/otelkit/metrics"

// Client records metrics by name with validated tags. It is safe for concurrent use. A nil *Client is a
// no-op: every method does nothing and returns nil (StartTimer returns a nil *Timer, itself a no-op).
type Client struct {
	meter    metric.Meter
	owned    *otelkit.Provider       // the provider New built; shut down by Shutdown
	shared   *otelkit.Provider       // the provider of NewFromProvider; flushed, never shut down
	reader   *sdkmetric.ManualReader // the snapshot reader, or nil
	defaults []Tag                   // sorted by key
	limit    int
	now      func() time.Time
	handle   func(error)

	cache     *seriesCache
	closed    atomic.Bool
	overflows atomic.Uint64

	instMu      sync.RWMutex
	instruments map[string]*instrument
	declared    map[string]InstrumentInfo

	seriesMu sync.Mutex // guards instrument.sets, .entries, .overflow

	regMu sync.Mutex
	regs  map[*Registration]struct{}

	shutdownOnce sync.Once
	shutdownErr  error
}

// New builds a client that owns a metrics pipeline (an otelkit.Provider with only metrics on) exporting to
// cfg.Exporter. Everything is validated first: the default tags, the temporality, the interval, the
// cardinality limit, the declared instruments and the exporter settings. Errors wrap [ErrInvalidConfig]
// (with otelkit.ErrInvalidSettings for exporter settings), [ErrInvalidTag], [ErrInvalidName] or
// [ErrExporterDisabled]. Errors about exporter settings are *otelkit.SettingsError values whose Field
// names the Config field, such as "Exporter.Endpoint" (not otelkit.Settings' "Metrics.Endpoint").
func New(cfg Config, opts ...Option) (*Client, error) {
	o := newOptions(opts)
	if !cfg.Exporter.Enabled() {
		return nil, ErrExporterDisabled
	}
	// Case-insensitive, without trimming, as otelkit.Settings.MetricTemporality is parsed.
	temporality := strings.ToLower(cfg.Temporality)
	switch temporality {
	case "", TemporalityCumulative, TemporalityDelta:
	default:
		return nil, configErr("Temporality", "%q is not %q or %q", cfg.Temporality, TemporalityCumulative, TemporalityDelta)
	}
	if cfg.ExportInterval < 0 {
		return nil, configErr("ExportInterval", "must not be negative (got %s)", cfg.ExportInterval)
	}
	if cfg.CardinalityLimit < 0 {
		return nil, configErr("CardinalityLimit", "must not be negative (got %d)", cfg.CardinalityLimit)
	}
	if !o.limitSet && cfg.CardinalityLimit > 0 {
		o.limit, o.limitSet = cfg.CardinalityLimit, true
	}
	defaults := make(map[string]string, len(cfg.DefaultTags)+len(o.defaults))
	for k, v := range cfg.DefaultTags {
		defaults[k] = v
	}
	for k, v := range o.defaults {
		defaults[k] = v
	}
	o.defaults = defaults
	for name, info := range cfg.Instruments {
		if _, ok := o.instrumentDef[name]; !ok {
			WithInstrument(name, info).apply(&o)
		}
	}
	c, err := newClient(o)
	if err != nil {
		return nil, err
	}

	s := otelkit.Settings{
		Environment:          cfg.Environment,
		ServiceName:          cfg.ServiceName,
		ServiceVersion:       cfg.ServiceVersion,
		Metrics:              cfg.Exporter,
		MetricExportInterval: cfg.ExportInterval,
		MetricTemporality:    temporality,
		// The SDK keeps limit-1 sets before overflowing; ours are the cap plus our overflow set.
		MetricCardinalityLimit: c.limit + 2,
		SnapshotReader:         !cfg.DisableSnapshot,
	}
	popts := append([]otelkit.Option{otelkit.WithErrorHandler(o.handle)}, o.providerOpts...)
	p, err := otelkit.NewProvider(s, popts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, configFieldNames(err))
	}
	c.owned, c.reader = p, p.SnapshotReader()
	c.meter = meterOf(p.MeterProvider())
	return c, nil
}

// NewFromProvider builds a client on the metrics pipeline of p, so that one process has one pipeline
// (if p records no metrics, neither does the client). Snapshots use p.SnapshotReader()
// (Settings.SnapshotReader must be set, or Snapshot returns [ErrSnapshotUnavailable]); ForceFlush flushes
// p (all its signals). Shutdown ends this client only: it flushes p but never shuts it down.
//
// # Cardinality
//
// The SDK of p keeps at most L-1 tag sets per instrument, L being p's Settings().MetricCardinalityLimit
// (2000 when zero), and sends further sets into its own overflow series. So that every set the client
// admits is kept, and its overflow series and [Client.Overflows] stay exact, the client's cap must be at
// most L-2 (room for the client's overflow series). Without [WithCardinalityLimit] the cap is
// [DefaultCardinalityLimit] lowered to L-2 when needed; an explicit cap above L-2, or an L below 3, is an
// error wrapping [ErrInvalidConfig]. A negative L (no SDK limit) leaves the client's cap as it is.
//
// The client cannot see limits set elsewhere: per-stream limits of views, a reader's cardinality limit
// selector, or another client recording the same instrument name on p (the SDK counts the union of their
// sets). Keep those at or above the client's cap plus 2.
func NewFromProvider(p *otelkit.Provider, opts ...Option) (*Client, error) {
	if p == nil {
		return nil, configErr("provider", "is nil")
	}
	o := newOptions(opts)
	if err := fitProviderLimit(&o, p.Settings().MetricCardinalityLimit); err != nil {
		return nil, err
	}
	c, err := newClient(o)
	if err != nil {
		return nil, err
	}
	c.shared, c.reader = p, p.SnapshotReader()
	c.meter = meterOf(p.MeterProvider())
	return c, nil
}

// NewFromMeterProvider builds a client on any OpenTelemetry MeterProvider, for programs that do not use
// otelkit.Provider. snapshot, if not nil, is a manual reader registered with mp that [Client.Snapshot]
// collects from. The client never flushes or shuts mp down: ForceFlush and Shutdown only end the client.
func NewFromMeterProvider(mp metric.MeterProvider, snapshot *sdkmetric.ManualReader, opts ...Option) (*Client, error) {
	if mp == nil {
		return nil, configErr("MeterProvider", "is nil")
	}
	c, err := newClient(newOptions(opts))
	if err != nil {
		return nil, err
	}
	c.reader = snapshot
	c.meter = meterOf(mp)
	return c, nil
}

// fitProviderLimit makes the client's cap fit a provider whose SDK cardinality limit is sdkLimit (zero
// meaning the default, negative none): the SDK keeps sdkLimit-1 sets, which must hold the client's cap
// and its overflow series.
func fitProviderLimit(o *options, sdkLimit int) error {
	if sdkLimit < 0 {
		return nil
	}
	if sdkLimit == 0 {
		sdkLimit = DefaultCardinalityLimit // otelkit's default, the SDK's
	}
	fit := sdkLimit - 2
	switch {
	case fit < 1:
		return configErr("CardinalityLimit", "the provider's MetricCardinalityLimit %d leaves no room for a tag set "+
			"beside the overflow series (it must be at least 3, or negative)", sdkLimit)
	case !o.limitSet:
		o.limit, o.limitSet = min(DefaultCardinalityLimit, fit), true
	case o.limit > fit:
		return configErr("CardinalityLimit", "%d does not fit the provider's MetricCardinalityLimit %d: "+
			"the SDK keeps %d tag sets per instrument, which must hold the cap plus the overflow series (use at most %d)",
			o.limit, sdkLimit, sdkLimit-1, fit)
	}
	return nil
}

func meterOf(mp metric.MeterProvider) metric.Meter {
	return mp.Meter(ScopeName, metric.WithInstrumentationVersion(otelkit.Version))
}

// newClient validates the options and builds the client's state (without a meter).
func newClient(o options) (*Client, error) {
	if !o.limitSet {
		o.limit = DefaultCardinalityLimit
	}
	if o.limit <= 0 {
		return nil, configErr("CardinalityLimit", "must be positive (got %d)", o.limit)
	}
	defaults := make([]Tag, 0, len(o.defaults))
	for k, v := range o.defaults {
		defaults = append(defaults, Tag{Key: k, Value: v})
	}
	sort.Slice(defaults, func(i, j int) bool { return defaults[i].Key < defaults[j].Key })
	for _, t := range defaults {
		if err := ValidateTag(t); err != nil {
			return nil, fmt.Errorf("%w: DefaultTags: %w", ErrInvalidConfig, err)
		}
	}
	c := &Client{
		defaults: defaults, limit: o.limit, now: o.now, handle: o.handle,
		cache:       newSeriesCache(),
		instruments: make(map[string]*instrument),
		declared:    make(map[string]InstrumentInfo),
		regs:        make(map[*Registration]struct{}),
	}
	names := make([]string, 0, len(o.instrumentDef))
	for name := range o.instrumentDef {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := ValidateName(name); err != nil {
			return nil, fmt.Errorf("%w: Instruments: %w", ErrInvalidConfig, err)
		}
		c.declared[name] = o.instrumentDef[name]
	}
	return c, nil
}

// DefaultTags returns a copy of the client's default tags, sorted by key.
func (c *Client) DefaultTags() []Tag {
	if c == nil {
		return nil
	}
	return append([]Tag(nil), c.defaults...)
}

// Overflows returns how many measurements were recorded into an overflow series because their
// instrument had reached its cardinality limit.
func (c *Client) Overflows() uint64 {
	if c == nil {
		return 0
	}
	return c.overflows.Load()
}

// Snapshot collects the current values from the snapshot reader without touching the periodic export.
// With delta temporality each snapshot holds what changed since the previous snapshot. It returns
// [ErrSnapshotUnavailable] when the client has no snapshot reader, [ErrShutdown] after Shutdown, and an
// error wrapping [ErrSnapshot] when collection fails. On a nil client it returns empty data and nil.
func (c *Client) Snapshot(ctx context.Context) (metricdata.ResourceMetrics, error) {
	var rm metricdata.ResourceMetrics
	if c == nil {
		return rm, nil
	}
	if c.closed.Load() {
		return rm, ErrShutdown
	}
	if c.reader == nil {
		return rm, ErrSnapshotUnavailable
	}
	if err := c.reader.Collect(ctx, &rm); err != nil {
		return metricdata.ResourceMetrics{}, fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	return rm, nil
}

// ForceFlush exports what has been recorded so far, within ctx. For a client built on a bare
// MeterProvider it does nothing. It returns [ErrShutdown] after Shutdown and wraps [ErrFlush] on failure.
func (c *Client) ForceFlush(ctx context.Context) error {
	if c == nil {
		return nil
	}
	if c.closed.Load() {
		return ErrShutdown
	}
	p := c.provider()
	if p == nil {
		return nil
	}
	if err := p.ForceFlush(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrFlush, err)
	}
	return nil
}

func (c *Client) provider() *otelkit.Provider {
	if c.owned != nil {
		return c.owned
	}
	return c.shared
}

// Shutdown ends the client: recording methods return [ErrShutdown] from now on, what was recorded is
// exported within ctx, and then observable gauge callbacks are unregistered. A client built by [New]
// then shuts its provider down (a provider with nothing recorded exports nothing); a client on a shared
// provider flushes it and leaves it running. Shutdown runs once; later calls return the first result.
// Failures wrap [ErrProviderShutdown].
func (c *Client) Shutdown(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.shutdownOnce.Do(func() {
		c.closed.Store(true)
		var err error
		switch {
		case c.owned != nil:
			err = c.owned.Shutdown(ctx)
		case c.shared != nil:
			if ferr := c.shared.ForceFlush(ctx); !errors.Is(ferr, otelkit.ErrShutdown) {
				err = ferr
			}
		}
		// After the final export, so that it still observes the gauges.
		err = errors.Join(err, c.unregisterAll())
		if err != nil {
			c.shutdownErr = fmt.Errorf("%w: %w", ErrProviderShutdown, err)
		}
	})
	return c.shutdownErr
}
