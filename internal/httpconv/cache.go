package httpconv

import (
	"maps"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Cache is a bounded map for values computed once per key (attribute sets per route and status, span names
// per route): reads are a lock-free map lookup, writes copy the map under a mutex, so it suits keys that
// are few and settle early. Once it holds Max entries, new keys are not stored; callers then use the value
// they computed without caching it, which keeps memory bounded when keys come from hostile input. The zero
// Cache is not usable; create one with [NewCache]. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	read atomic.Pointer[map[K]V]
	mu   sync.Mutex
	max  int
}

// NewCache returns an empty cache holding at most limit entries (at least 1).
func NewCache[K comparable, V any](limit int) *Cache[K, V] {
	c := &Cache[K, V]{max: max(limit, 1)}
	m := map[K]V{}
	c.read.Store(&m)
	return c
}

// Load returns the value stored for k.
func (c *Cache[K, V]) Load(k K) (V, bool) {
	v, ok := (*c.read.Load())[k]
	return v, ok
}

// LoadOrStore returns the value stored for k, or stores v (if there is room) and returns it.
func (c *Cache[K, V]) LoadOrStore(k K, v V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := *c.read.Load()
	if old, ok := cur[k]; ok {
		return old
	}
	if len(cur) >= c.max {
		return v
	}
	next := make(map[K]V, len(cur)+1)
	maps.Copy(next, cur)
	next[k] = v
	c.read.Store(&next)
	return v
}

// Len returns the number of stored entries.
func (c *Cache[K, V]) Len() int { return len(*c.read.Load()) }

// MetricAttrs is a precomputed metric attribute set with the record options that carry it, so recording a
// measurement with it allocates nothing.
type MetricAttrs struct {
	// Set is the attribute set.
	Set attribute.Set
	// Opts holds metric.WithAttributeSet(Set), ready to pass to Record.
	Opts []metric.RecordOption
	// ErrorType is the error.type in Set, or "".
	ErrorType string
}

// NewMetricAttrs builds a MetricAttrs from kvs.
func NewMetricAttrs(errorType string, kvs ...attribute.KeyValue) *MetricAttrs {
	s := attribute.NewSet(kvs...)
	return &MetricAttrs{Set: s, Opts: []metric.RecordOption{metric.WithAttributeSet(s)}, ErrorType: errorType}
}
