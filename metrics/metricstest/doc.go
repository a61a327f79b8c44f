// Package metricstest has assertion helpers for metric data collected by the OpenTelemetry SDK
// (metricdata.ResourceMetrics), such as what a metrics.Client exports to an otelkit.Memory or returns
// from Snapshot.
//
// Every helper that takes a testing.TB calls tb.Helper() and fails the test with tb.Fatalf, naming what
// was looked for and what was there instead; with a testing.TB whose Fatalf returns, a helper fails once
// and returns the zero value. Helpers without a testing.TB only look.
//
//	mem := otelkit.NewMemory()
//	c, _ := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)})
//	_ = c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1"))
//	_ = c.Shutdown(ctx)
//	m := metricstest.FindLatest(t, mem.Metrics(), "codex.turns")
//	if got := metricstest.SumInt(t, m, map[string]string{"model": "gpt-5.1"}); got != 1 { ... }
package metricstest
