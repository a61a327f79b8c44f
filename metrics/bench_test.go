package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/otelkit/otelkit/metrics"
)

// benchClient returns a client on a bare SDK MeterProvider with one manual reader, and a raw SDK meter
// of the same provider, so that both sides pay for the same aggregation.
func benchClient(b *testing.B) (*metrics.Client, metric.Meter) {
	b.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	c, err := metrics.NewFromMeterProvider(mp, reader,
		metrics.WithDefaultTags(metrics.T("service", "codex-cli"), metrics.T("env", "prod")))
	if err != nil {
		b.Fatal(err)
	}
	return c, mp.Meter("raw")
}

// BenchmarkCounter compares, in one run, the raw SDK (a precomputed attribute set, and attributes
// built per call) with the client's cached paths for counters, histograms and durations. Every series
// has the same five attributes: two default tags and three call tags.
func BenchmarkCounter(b *testing.B) {
	c, raw := benchClient(b)
	ctx := context.Background()
	kvs := []attribute.KeyValue{
		attribute.String("service", "codex-cli"), attribute.String("env", "prod"),
		attribute.String("model", "gpt-5.1"), attribute.String("tool", "shell"), attribute.String("success", "true"),
	}
	set := attribute.NewSet(kvs...)

	b.Run("raw_sdk_precomputed_set", func(b *testing.B) {
		ctr, _ := raw.Int64Counter("raw.precomputed")
		opt := metric.WithAttributeSet(set)
		b.ReportAllocs()
		for b.Loop() {
			ctr.Add(ctx, 1, opt)
		}
	})
	b.Run("raw_sdk_precomputed_option_slice", func(b *testing.B) {
		// The floor: the option slice itself is precomputed too, as the client's cache does.
		ctr, _ := raw.Int64Counter("raw.precomputed_slice")
		opts := []metric.AddOption{metric.WithAttributeSet(set)}
		b.ReportAllocs()
		for b.Loop() {
			ctr.Add(ctx, 1, opts...)
		}
	})
	b.Run("raw_sdk_attributes_per_call", func(b *testing.B) {
		ctr, _ := raw.Int64Counter("raw.per_call")
		b.ReportAllocs()
		for b.Loop() {
			ctr.Add(ctx, 1, metric.WithAttributes(
				attribute.String("service", "codex-cli"), attribute.String("env", "prod"),
				attribute.String("model", "gpt-5.1"), attribute.String("tool", "shell"), attribute.String("success", "true")))
		}
	})
	b.Run("client_3_tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1"), metrics.T("tool", "shell"), metrics.T("success", "true"))
		}
	})
	b.Run("client_3_tags_runtime_strings", func(b *testing.B) {
		// Equal strings at a new address on every call: the content-hash path.
		const n = 1024
		models := make([]string, n)
		for i := range models {
			models[i] = strings.Clone("gpt-5.1")
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = c.Counter("codex.turns", 1, metrics.T("model", models[i%n]), metrics.T("tool", "shell"), metrics.T("success", "true"))
			i++
		}
	})
	b.Run("raw_sdk_precomputed_set_parallel", func(b *testing.B) {
		ctr, _ := raw.Int64Counter("raw.parallel")
		opt := metric.WithAttributeSet(set)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				ctr.Add(ctx, 1, opt)
			}
		})
	})
	b.Run("client_3_tags_parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = c.Counter("codex.parallel", 1, metrics.T("model", "gpt-5.1"), metrics.T("tool", "shell"), metrics.T("success", "true"))
			}
		})
	})
	b.Run("raw_sdk_histogram_precomputed_set", func(b *testing.B) {
		h, _ := raw.Float64Histogram("raw.hist")
		opt := metric.WithAttributeSet(set)
		b.ReportAllocs()
		for b.Loop() {
			h.Record(ctx, 25, opt)
		}
	})
	b.Run("client_histogram_3_tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Histogram("codex.tool_latency", 25, metrics.T("model", "gpt-5.1"), metrics.T("tool", "shell"), metrics.T("success", "true"))
		}
	})
	b.Run("raw_sdk_duration_histogram_precomputed_set", func(b *testing.B) {
		h, _ := raw.Float64Histogram("raw.duration", metric.WithUnit("ms"),
			metric.WithExplicitBucketBoundaries(metrics.DurationMillisecondsBounds()...))
		opt := metric.WithAttributeSet(set)
		b.ReportAllocs()
		for b.Loop() {
			h.Record(ctx, float64(15*time.Millisecond)/float64(time.Millisecond), opt)
		}
	})
	b.Run("client_record_duration_3_tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.RecordDuration("codex.tool.call.duration_ms", 15*time.Millisecond,
				metrics.T("model", "gpt-5.1"), metrics.T("tool", "shell"), metrics.T("success", "true"))
		}
	})
	b.Run("client_timer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tm, _ := c.StartTimer("codex.timer", metrics.T("model", "gpt-5.1"))
			_ = tm.Stop()
		}
	})
}
