package metrics

import (
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// kind is what an instrument records. A name has exactly one kind for the client's life.
type kind uint8

const (
	kindCounter kind = iota + 1
	kindHistogram
	kindDurationMs
	kindDurationSeconds
	kindGauge
	kindObservableGauge
)

func (k kind) String() string {
	switch k {
	case kindCounter:
		return "counter"
	case kindHistogram:
		return "histogram"
	case kindDurationMs:
		return "millisecond duration histogram"
	case kindDurationSeconds:
		return "second duration histogram"
	case kindGauge:
		return "gauge"
	case kindObservableGauge:
		return "observable gauge"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// instrument is one SDK instrument and the bookkeeping of its series.
type instrument struct {
	name string
	kind kind
	info InstrumentInfo // effective unit and description

	counter metric.Int64Counter
	hist    metric.Float64Histogram
	gauge   metric.Float64Gauge
	obs     metric.Float64ObservableGauge

	// Guarded by Client.seriesMu.
	sets            map[attribute.Distinct]struct{} // distinct tag sets admitted, at most the cardinality limit
	entries         int                             // cached series of the admitted sets (their spellings)
	overflowEntries int                             // cached series of tag lists beyond the limit
	overflow        *series                         // the uncached overflow series, made on first use
}

// fixedUnit is the unit a kind imposes, or "".
func fixedUnit(k kind) string {
	switch k {
	case kindDurationMs:
		return UnitMilliseconds
	case kindDurationSeconds:
		return UnitSeconds
	}
	return ""
}

// effectiveInfo applies a kind's fixed unit and default description to a declaration. ok is false when
// the declaration contradicts the kind (another unit for a duration histogram).
func effectiveInfo(k kind, d InstrumentInfo) (InstrumentInfo, bool) {
	unit, desc := fixedUnit(k), DescriptionMilliseconds
	switch k {
	case kindDurationMs:
	case kindDurationSeconds:
		desc = DescriptionSeconds
	default:
		return d, true
	}
	if d.Unit != "" && d.Unit != unit {
		return InstrumentInfo{}, false
	}
	if d.Description != "" {
		desc = d.Description
	}
	return InstrumentInfo{Unit: unit, Description: desc}, true
}

func conflictErr(name string, have *instrument, want kind) error {
	return fmt.Errorf("%w: %s is a %s (unit %q, description %q), not a %s",
		ErrInstrumentConflict, quote(name), have.kind, have.info.Unit, have.info.Description, want)
}

// instrument returns the instrument called name, creating it with kind k on first use.
func (c *Client) instrument(k kind, name string) (*instrument, error) {
	c.instMu.RLock()
	in, ok := c.instruments[name]
	c.instMu.RUnlock()
	if ok {
		if in.kind != k {
			return nil, conflictErr(name, in, k)
		}
		return in, nil
	}

	c.instMu.Lock()
	defer c.instMu.Unlock()
	if in, ok := c.instruments[name]; ok {
		if in.kind != k {
			return nil, conflictErr(name, in, k)
		}
		return in, nil
	}
	declared := c.declared[name]
	info, ok := effectiveInfo(k, declared)
	if !ok {
		return nil, fmt.Errorf("%w: %s is declared with unit %q, but a %s has unit %q",
			ErrInstrumentConflict, quote(name), declared.Unit, k, fixedUnit(k))
	}
	in = &instrument{name: name, kind: k, info: info, sets: make(map[attribute.Distinct]struct{})}
	if err := c.create(in); err != nil {
		return nil, fmt.Errorf("metrics: cannot create %s %s: %w", k, quote(name), err)
	}
	c.instruments[name] = in
	return in, nil
}

// create makes the SDK instrument of in.
func (c *Client) create(in *instrument) error {
	var err error
	unit, desc := metric.WithUnit(in.info.Unit), metric.WithDescription(in.info.Description)
	switch in.kind {
	case kindCounter:
		in.counter, err = c.meter.Int64Counter(in.name, unit, desc)
	case kindHistogram:
		in.hist, err = c.meter.Float64Histogram(in.name, unit, desc)
	case kindDurationMs:
		in.hist, err = c.meter.Float64Histogram(in.name, unit, desc,
			metric.WithExplicitBucketBoundaries(durationMsBounds[:]...))
	case kindDurationSeconds:
		in.hist, err = c.meter.Float64Histogram(in.name, unit, desc,
			metric.WithExplicitBucketBoundaries(durationSecondsBounds[:]...))
	case kindGauge:
		in.gauge, err = c.meter.Float64Gauge(in.name, unit, desc)
	case kindObservableGauge:
		in.obs, err = c.meter.Float64ObservableGauge(in.name, unit, desc)
	}
	return err
}

// Describe declares the unit and description of the instrument called name. Declare before the first
// use: the instrument is created with them. Declaring the same information again is a no-op, and so is
// describing an existing instrument as it is; declaring something else for a name already declared, or
// for an instrument already created with another unit or description, returns [ErrInstrumentConflict]. Duration histograms have a fixed unit: a declaration
// with another unit makes their first use fail with ErrInstrumentConflict.
//
// On a nil client Describe does nothing and returns nil.
func (c *Client) Describe(name string, info InstrumentInfo) error {
	if c == nil {
		return nil
	}
	if c.closed.Load() {
		return ErrShutdown
	}
	if err := ValidateName(name); err != nil {
		return err
	}
	c.instMu.Lock()
	defer c.instMu.Unlock()
	return c.describeLocked(name, info)
}

func (c *Client) describeLocked(name string, info InstrumentInfo) error {
	if in, ok := c.instruments[name]; ok {
		if eff, ok := effectiveInfo(in.kind, info); !ok || eff != in.info {
			return fmt.Errorf("%w: %s already exists as a %s with unit %q, description %q; cannot describe it with unit %q, description %q",
				ErrInstrumentConflict, quote(name), in.kind, in.info.Unit, in.info.Description, info.Unit, info.Description)
		}
		return nil
	}
	if have, ok := c.declared[name]; ok && have != info {
		return fmt.Errorf("%w: %s is declared with unit %q, description %q; cannot redeclare it with unit %q, description %q",
			ErrInstrumentConflict, quote(name), have.Unit, have.Description, info.Unit, info.Description)
	}
	c.declared[name] = info
	return nil
}
