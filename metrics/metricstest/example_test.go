package metricstest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

// printTB stands in for the *testing.T of a real test in these examples: it prints failures.
type printTB struct{ testing.TB }

func (printTB) Helper() {}

func (printTB) Fatalf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }

// In a test, pass the test's *testing.T; a failed assertion names what it looked for and what was there.
func Example() {
	var t testing.TB = printTB{} // in a real test: t *testing.T
	mem := otelkit.NewMemory()
	c, _ := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)})
	_ = c.Counter("codex.turns", 2, metrics.T("model", "gpt-5.1"))
	_ = c.RecordDuration("codex.api_request.duration_ms", 30*time.Millisecond, metrics.T("status", "200"))
	_ = c.Shutdown(context.Background())

	rm := metricstest.Latest(t, mem.Metrics())
	turns := metricstest.Find(t, rm, "codex.turns")
	fmt.Println(metricstest.SumInt(t, turns, map[string]string{"model": "gpt-5.1"}))

	h := metricstest.Histogram(t, metricstest.Find(t, rm, "codex.api_request.duration_ms"), map[string]string{"status": "200"})
	fmt.Println(h.Count, h.Sum, h.Bounds[3:5], h.BucketCounts[4]) // 30 is in (25, 50]

	metricstest.Find(t, rm, "codex.missing")
	metricstest.PointWith(t, turns, map[string]string{"model": "gpt-4"})
	// Output:
	// 2
	// 1 30 [25 50] 1
	// FAIL: metricstest: metric "codex.missing" not found; metrics present: ["codex.api_request.duration_ms" "codex.turns"]
	// FAIL: metricstest: metric "codex.turns" has no point with attributes {model=gpt-4}; points: {model=gpt-5.1}
}
