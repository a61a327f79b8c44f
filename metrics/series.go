package metrics

import (
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// OverflowKey is the attribute key of the overflow series: measurements with a new tag set beyond an
// instrument's cardinality limit are recorded with the single attribute otel.metric.overflow="true".
//
// The key is the SDK's, but the value is the string "true", not the SDK's boolean true: once the SDK
// holds its own overflow set for an instrument it sends every tag set it has not stored yet into it,
// even a set this client admitted (for instance the first measurement of a cycle under delta
// temporality, or a timer started before the overflow). A set the SDK sees as ordinary avoids that; the
// client's cap is kept below the SDK's limit so that the SDK never needs its own overflow set (see
// [NewFromProvider]). Backends that render attribute values as text (Prometheus labels) show both as
// otel.metric.overflow="true"; over OTLP, select on the key, or compare typed values in tests with
// metricstest.PointWithSet.
const OverflowKey = "otel.metric.overflow"

// overflowSet is the attribute set of the overflow series.
var overflowSet = attribute.NewSet(attribute.String(OverflowKey, "true"))

// series is one cached (name, tags) pair: its instrument and precomputed measurement options.
// It is immutable once published.
type series struct {
	name string
	tags []Tag // the call's tags as given (a private copy)
	inst *instrument
	set  attribute.Set
	add  []metric.AddOption
	rec  []metric.RecordOption
	obs  []metric.ObserveOption

	overflow bool         // the tags are beyond the cardinality limit: recorded into the overflow set
	aliases  atomic.Int32 // identity-cache entries pointing here
}

func newSeries(name string, tags []Tag, in *instrument, set attribute.Set) *series {
	opt := metric.WithAttributeSet(set)
	s := &series{name: name, inst: in, set: set}
	if len(tags) > 0 {
		s.tags = append(make([]Tag, 0, len(tags)), tags...)
	}
	switch in.kind {
	case kindCounter:
		s.add = []metric.AddOption{opt}
	case kindObservableGauge:
		s.obs = []metric.ObserveOption{opt}
	default:
		s.rec = []metric.RecordOption{opt}
	}
	return s
}

func (s *series) matches(name string, tags []Tag) bool {
	return s.name == name && sameTags(s.tags, tags)
}

// lookup returns the series of (name, tags) for an instrument of kind k: from the cache when this exact
// name and tags were seen before (no validation, no allocation), otherwise through resolve. Recording
// methods pass the result through counted.
func (c *Client) lookup(k kind, name string, tags []Tag) (*series, error) {
	if c.closed.Load() {
		return nil, ErrShutdown
	}
	s, h := c.cache.load(name, tags)
	if s != nil {
		if s.inst.kind != k {
			return nil, conflictErr(name, s.inst, k)
		}
		return s, nil
	}
	return c.resolve(k, name, tags, h)
}

// counted returns s after counting a measurement into the overflow set, if s records there.
func (c *Client) counted(s *series) *series {
	if s.overflow {
		c.overflows.Add(1)
	}
	return s
}

// resolve validates a new (name, tags) pair, applies the cardinality cap and caches the series.
func (c *Client) resolve(k kind, name string, tags []Tag, h uint64) (*series, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if err := validateTags(name, tags); err != nil {
		return nil, err
	}
	in, err := c.instrument(k, name)
	if err != nil {
		return nil, err
	}
	set := mergeTags(c.defaults, tags)
	key := set.Equivalent()

	c.seriesMu.Lock()
	defer c.seriesMu.Unlock()
	if _, known := in.sets[key]; !known {
		if len(in.sets) >= c.limit {
			return c.overflowSeries(in, name, tags, h), nil
		}
		in.sets[key] = struct{}{}
	}
	s := newSeries(name, tags, in, set)
	// Each admitted set may be spelled several ways (tag order, repeated keys, defaults restated); cache
	// at most two spellings per admitted set on average, and serve the rest uncached.
	if in.entries >= 2*c.limit {
		return s, nil
	}
	s, inserted := c.cache.store(h, s)
	if inserted {
		in.entries++
	}
	return s, nil
}

// overflowSeries returns a series recording into the overflow set for tags beyond the limit. Up to
// limit such tag lists per instrument are cached, so that a recurring one skips validation and the
// attribute-set work; the rest (say, a fresh ID on every call) are served uncached.
func (c *Client) overflowSeries(in *instrument, name string, tags []Tag, h uint64) *series {
	if in.overflow == nil {
		in.overflow = newSeries(name, nil, in, overflowSet)
		in.overflow.overflow = true
	}
	if in.overflowEntries >= c.limit {
		return in.overflow
	}
	s := newSeries(name, tags, in, overflowSet)
	s.overflow = true
	s, inserted := c.cache.store(h, s)
	if inserted {
		in.overflowEntries++
	}
	return s
}
