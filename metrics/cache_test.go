package metrics

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func testSeries(name string, tags ...Tag) *series {
	in := &instrument{name: name, kind: kindCounter}
	return newSeries(name, tags, in, attribute.NewSet())
}

func TestTableCollisionsAreResolvedByContent(t *testing.T) {
	tb := newTable()
	a := testSeries("a", T("k", "1"))
	b := testSeries("b", T("k", "1"))
	c := testSeries("a", T("k", "2"))
	for _, s := range []*series{a, b, c} {
		if got, ok := tb.insert(42, s); !ok || got != s {
			t.Fatalf("insert %s = %v %v", s.name, got, ok)
		}
	}
	if got := tb.find(42, "a", []Tag{T("k", "1")}); got != a {
		t.Fatal("wrong series for a{k=1}")
	}
	if got := tb.find(42, "b", []Tag{T("k", "1")}); got != b {
		t.Fatal("wrong series for b{k=1}")
	}
	if got := tb.find(42, "a", []Tag{T("k", "2")}); got != c {
		t.Fatal("wrong series for a{k=2}")
	}
	if got := tb.find(42, "a", []Tag{T("k", "3")}); got != nil {
		t.Fatal("found a series that was never stored")
	}
	if got := tb.find(43, "a", []Tag{T("k", "1")}); got != nil {
		t.Fatal("found a series under another key")
	}
	dup := testSeries("a", T("k", "1"))
	if got, ok := tb.insert(42, dup); ok || got != a {
		t.Fatal("a duplicate was inserted")
	}
}

func TestTableGrowsAndKeepsEverything(t *testing.T) {
	tb := newTable()
	const n = 5000
	all := make([]*series, n)
	for i := range n {
		all[i] = testSeries(fmt.Sprint("m", i))
		tb.insert(uint64(i)*0x9e3779b97f4a7c15, all[i])
	}
	if got := len(tb.cur.Load().heads); got < n/2 {
		t.Fatalf("table has %d slots for %d nodes", got, n)
	}
	for i := range n {
		if tb.find(uint64(i)*0x9e3779b97f4a7c15, fmt.Sprint("m", i), nil) != all[i] {
			t.Fatalf("series %d lost", i)
		}
	}
}

func TestTableConcurrentInsertAndFind(t *testing.T) {
	tb := newTable()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 300 {
				name := fmt.Sprint("m", i)
				h := uint64(i % 50) // many collisions, across growth
				s, _ := tb.insert(h, testSeries(name, T("w", "x")))
				if got := tb.find(h, name, []Tag{T("w", "x")}); got != s {
					t.Errorf("worker %d: series %d not found after insert", w, i)
				}
			}
		})
	}
	wg.Wait()
	if tb.n != 300 {
		t.Fatalf("%d nodes, want 300 (one per distinct series)", tb.n)
	}
}

func TestSeriesCacheIdentityAndContent(t *testing.T) {
	sc := newSeriesCache()
	name := "codex.turns"
	tags := []Tag{T("model", "gpt-5.1")}
	s, ch := sc.load(name, tags)
	if s != nil {
		t.Fatal("empty cache hit")
	}
	want := testSeries(name, tags...)
	if got, ok := sc.store(ch, want); !ok || got != want {
		t.Fatal("store failed")
	}
	if got, _ := sc.load(name, tags); got != want {
		t.Fatal("identity lookup missed")
	}
	// Equal strings at other addresses are found by content, and get an identity alias.
	dynName := strings.Clone(name)
	dynTags := []Tag{T(strings.Clone("model"), strings.Clone("gpt-5.1"))}
	if got, _ := sc.load(dynName, dynTags); got != want {
		t.Fatal("content lookup missed")
	}
	if got := sc.ident.find(identityHash(dynName, dynTags), dynName, dynTags); got != want {
		t.Fatal("no identity alias after a content hit")
	}
	// Aliases are bounded.
	for range 20 {
		d := []Tag{T(strings.Clone("model"), strings.Clone("gpt-5.1"))}
		if got, _ := sc.load(strings.Clone(name), d); got != want {
			t.Fatal("content lookup missed")
		}
	}
	if n := want.aliases.Load(); n > maxAliases || sc.ident.n > maxAliases {
		t.Fatalf("aliases %d, identity nodes %d, want at most %d", n, sc.ident.n, maxAliases)
	}
	// Different content never matches, whatever the order.
	if got, _ := sc.load(name, []Tag{T("model", "gpt-5.2")}); got != nil {
		t.Fatal("different value matched")
	}
	if got, _ := sc.load("codex.turn", tags); got != nil {
		t.Fatal("different name matched")
	}
}

// The cached path allocates nothing, whatever the tag strings' origin.
func TestCachedPathDoesNotAllocate(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	c, err := NewFromMeterProvider(mp, reader, WithDefaultTags(T("service", "codex-cli")))
	if err != nil {
		t.Fatal(err)
	}
	dyn := strings.Clone("gpt-5.1")
	// Strings at a new address on every call: found by content once the identity aliases are used up.
	fresh := make([]string, 512)
	for i := range fresh {
		fresh[i] = strings.Clone("gpt-5.1")
	}
	next := 0
	calls := map[string]func(){
		"Counter":               func() { _ = c.Counter("codex.turns", 1, T("model", "gpt-5.1"), T("tool", "shell")) },
		"Counter runtime value": func() { _ = c.Counter("codex.turns", 1, T("model", dyn), T("tool", "shell")) },
		"Counter fresh strings": func() { next++; _ = c.Counter("codex.turns", 1, T("model", fresh[next]), T("tool", "shell")) },
		"Histogram":             func() { _ = c.Histogram("codex.size", 3, T("model", "gpt-5.1")) },
		"RecordDuration":        func() { _ = c.RecordDuration("codex.latency", time.Millisecond, T("model", "gpt-5.1")) },
		"RecordDurationSeconds": func() { _ = c.RecordDurationSeconds("codex.latency_s", time.Millisecond) },
		"Gauge":                 func() { _ = c.Gauge("codex.active", 2, T("model", "gpt-5.1")) },
	}
	for name, f := range calls {
		f() // first use: validation and caching
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s: %v allocations per call on the cached path", name, n)
		}
	}
}

// Tags beyond the limit are cached up to the limit: a recurring one is cheap and still counted, and a
// stream of fresh ones leaves the cache bounded.
func TestOverflowEntriesAreBoundedAndCounted(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	c, err := NewFromMeterProvider(mp, reader, WithCardinalityLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"a", "b", "c"} {
		if err := c.Counter("codex.ids", 1, T("id", v)); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Overflows(); got != 1 {
		t.Fatalf("Overflows() = %d, want 1", got)
	}
	recurring := func() { _ = c.Counter("codex.ids", 1, T("id", "c")) }
	if n := testing.AllocsPerRun(100, recurring); n != 0 {
		t.Fatalf("a recurring overflowing tag allocates %v times per call", n)
	}
	if got := c.Overflows(); got != 102 {
		t.Fatalf("Overflows() = %d, want 102", got)
	}
	for i := range 50 {
		_ = c.Counter("codex.ids", 1, T("id", fmt.Sprint("fresh", i)))
	}
	in := c.instruments["codex.ids"]
	if in.entries != 2 || in.overflowEntries != 2 || len(in.sets) != 2 {
		t.Fatalf("entries %d, overflow entries %d, sets %d; want 2, 2, 2", in.entries, in.overflowEntries, len(in.sets))
	}
	if got := c.Overflows(); got != 152 {
		t.Fatalf("Overflows() = %d, want 152", got)
	}
	// AllocsPerRun calls once more than asked: 1 + 101 + 50 measurements overflowed.
	if got := collectAll(t, reader); len(got) != 3 || got["id=a"] != 1 || got["id=b"] != 1 || got["otel.metric.overflow=true"] != 152 {
		t.Fatalf("series = %v", got)
	}
}

// collectAll returns the int64 sum values of codex.ids by their rendered attributes.
func collectAll(t *testing.T, r *sdkmetric.ManualReader) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "codex.ids" {
				continue
			}
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				out[dp.Attributes.Encoded(attribute.DefaultEncoder())] = dp.Value
			}
		}
	}
	return out
}
