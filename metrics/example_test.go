package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

// printSums prints each point of the int64 counter called name.
func printSums(rm metricdata.ResourceMetrics, name string) {
	m, _ := metricstest.Lookup(rm, name)
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		fmt.Printf("%s{%s} %d\n", name, dp.Attributes.Encoded(attribute.DefaultEncoder()), dp.Value)
	}
}

// A counter with default tags: a call's tag overrides the default with the same key.
func ExampleClient_Counter() {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{
		ServiceName: "codex-cli",
		Exporter:    otelkit.InMemory(mem),
		DefaultTags: map[string]string{"service": "codex-cli", "env": "prod"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1"), metrics.T("env", "dev"))
	_ = c.Counter("codex.turns", 2, metrics.T("model", "gpt-5.1"), metrics.T("env", "dev"))
	err = c.Counter("codex.turns", -1)
	fmt.Println(errors.Is(err, metrics.ErrNegativeIncrement))

	_ = c.Shutdown(context.Background()) // exports once, then stops
	printSums(mem.Metrics()[0], "codex.turns")
	// Output:
	// true
	// codex.turns{env=dev,model=gpt-5.1,service=codex-cli} 3
}

// A timer records once, however often it is stopped.
func ExampleClient_StartTimer() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)}, metrics.WithClock(clock))
	if err != nil {
		fmt.Println(err)
		return
	}
	timer, err := c.StartTimer("codex.tool.call.duration_ms", metrics.T("tool", "shell"))
	if err != nil {
		fmt.Println(err)
		return
	}
	now = now.Add(250 * time.Millisecond)
	fmt.Println(timer.Stop())
	fmt.Println(timer.Stop())

	_ = c.Shutdown(context.Background())
	m, _ := metricstest.Lookup(mem.Metrics()[0], "codex.tool.call.duration_ms")
	dp := m.Data.(metricdata.Histogram[float64]).DataPoints[0]
	fmt.Printf("%s count=%d sum=%v unit=%s\n", m.Name, dp.Count, dp.Sum, m.Unit)
	// Output:
	// <nil>
	// metrics: timer already recorded
	// codex.tool.call.duration_ms count=1 sum=250 unit=ms
}

// A snapshot reads the current values without exporting them.
func ExampleClient_Snapshot() {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)},
		metrics.WithDefaultTags(metrics.T("service", "codex-cli")))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Shutdown(context.Background()) }()

	_ = c.Counter("codex.tool.call", 1, metrics.T("tool", "shell"), metrics.T("success", "true"))
	rm, err := c.Snapshot(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	printSums(rm, "codex.tool.call")
	fmt.Println("exports so far:", len(mem.Metrics()))
	// Output:
	// codex.tool.call{service=codex-cli,success=true,tool=shell} 1
	// exports so far: 0
}

// One process, one pipeline: a client on the provider that also serves traces and logs.
func ExampleNewFromProvider() {
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "app", Metrics: otelkit.InMemory(mem), SnapshotReader: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = p.Shutdown(context.Background()) }()
	c, err := metrics.NewFromProvider(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c.Counter("app.requests", 5)
	_ = c.Shutdown(context.Background()) // flushes p, leaves it running
	printSums(mem.Metrics()[0], "app.requests")
	// Output:
	// app.requests{} 5
}

// Errors name what is wrong and match sentinels with errors.Is.
func ExampleValidateName() {
	for _, name := range []string{"codex.turns", "1bad", "bad name"} {
		err := metrics.ValidateName(name)
		fmt.Println(errors.Is(err, metrics.ErrInvalidName), err)
	}
	// Output:
	// false <nil>
	// true metrics: invalid metric name "1bad": must start with an ASCII letter
	// true metrics: invalid metric name "bad name": character ' ' at byte 3 is not an ASCII letter, digit or one of ._-/
}

// Sanitize maps free-form text to a valid tag value.
func ExampleSanitize() {
	fmt.Println(metrics.Sanitize("Codex Desktop (beta)"))
	fmt.Println(metrics.Sanitize("\u2014"))
	// Output:
	// Codex_Desktop__beta
	// unspecified
}

// Describe declares units and descriptions before first use.
func ExampleClient_Describe() {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c.Describe("codex.bytes_sent", metrics.InstrumentInfo{Unit: "By", Description: "Bytes sent upstream."})
	_ = c.Counter("codex.bytes_sent", 512)
	err = c.Histogram("codex.bytes_sent", 1)
	fmt.Println(errors.Is(err, metrics.ErrInstrumentConflict))
	_ = c.Shutdown(context.Background())
	m, _ := metricstest.Lookup(mem.Metrics()[0], "codex.bytes_sent")
	fmt.Printf("%s unit=%s %q\n", m.Name, m.Unit, m.Description)
	// Output:
	// true
	// codex.bytes_sent unit=By "Bytes sent upstream."
}
