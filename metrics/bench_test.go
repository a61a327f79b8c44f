package metrics

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// benchClient returns a client on a bare SDK MeterProvider with one manual reader (like the snapshot
// reader), and the raw SDK meter of the same provider, so both sides pay for the same aggregation.
func benchClient(b *testing.B) (*Client, metric.Meter) {
	b.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	c, err := NewFromMeterProvider(mp, reader, WithDefaultTags(T("service", "codex-cli"), T("env", "prod")))
	if err != nil {
		b.Fatal(err)
	}
	return c, mp.Meter("raw")
}

// BenchmarkCounter compares, in one run, the raw SDK counter (precomputed attribute set, and attributes
// built per call) with the client's cached path, and the client's histogram and duration paths.
func BenchmarkCounter(b *testing.B) {
	c, raw := benchClient(b)
	ctx := context.Background()
	tags := []Tag{T("model", "gpt-5.1"), T("tool", "shell"), T("success", "true")}
	kvs := []attribute.KeyValue{
		attribute.String("service", "codex-cli"), attribute.String("env", "prod"),
		attribute.String("model", "gpt-5.1"), attribute.String("tool", "shell"), attribute.String("success", "true"),
	}

	b.Run("raw_sdk_precomputed_set", func(b *testing.B) {
		ctr, _ := raw.Int64Counter("raw.precomputed")
		opt := metric.WithAttributeSet(attribute.NewSet(kvs...))
		b.ReportAllocs()
		for b.Loop() {
			ctr.Add(ctx, 1, opt)
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
			if err := c.Counter("codex.turns", 1, T("model", "gpt-5.1"), T("tool", "shell"), T("success", "true")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("client_3_tags_slice", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Counter("codex.turns.slice", 1, tags...)
		}
	})
	b.Run("raw_sdk_histogram_precomputed_set", func(b *testing.B) {
		h, _ := raw.Float64Histogram("raw.hist")
		opt := metric.WithAttributeSet(attribute.NewSet(kvs...))
		b.ReportAllocs()
		for b.Loop() {
			h.Record(ctx, 25, opt)
		}
	})
	b.Run("client_histogram_3_tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Histogram("codex.tool_latency", 25, T("model", "gpt-5.1"), T("tool", "shell"), T("success", "true"))
		}
	})
	b.Run("client_record_duration_3_tags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.RecordDuration("codex.tool.call.duration_ms", 15*time.Millisecond, T("model", "gpt-5.1"), T("tool", "shell"), T("success", "true"))
		}
	})
}
