package metrics_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/otlptest"
)

// TestOTLPDelivery sends through each OTLP protocol to a real receiver and checks what it decoded.
func TestOTLPDelivery(t *testing.T) {
	srv := otlptest.NewServer(t)
	for _, tc := range []struct {
		name        string
		exporter    otelkit.Exporter
		contentType string
	}{
		{"http protobuf", otelkit.OTLP(srv.HTTPURL()), "application/x-protobuf"},
		{"http json", otelkit.OTLPJSON(srv.HTTPURL()), "application/json"},
		{"grpc", otelkit.OTLPGRPC(srv.GRPCURL()), "application/grpc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			c, err := metrics.New(metrics.Config{
				Environment: "prod", ServiceName: "codex-cli", ServiceVersion: "1.2.3",
				Exporter: tc.exporter, DefaultTags: map[string]string{"env": "prod", "service": "codex-cli"},
			})
			must(t, err)
			must(t, c.Counter("codex.turns", 2, metrics.T("model", "gpt-5.1"), metrics.T("env", "dev")))
			must(t, c.Counter("codex.turns", 3, metrics.T("model", "gpt-5.1"), metrics.T("env", "dev")))
			must(t, c.RecordDuration("codex.tool.call.duration_ms", 15*time.Millisecond, metrics.T("tool", "shell")))
			must(t, c.Gauge("codex.active", 4))
			shutdown(t, c) // flushes: the data is at the receiver when Shutdown returns

			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Signal != otlptest.SignalMetrics || !reqs[0].Accepted ||
				!strings.HasPrefix(reqs[0].ContentType, tc.contentType) {
				t.Fatalf("requests = %+v, want one accepted %s metrics export", reqs, tc.contentType)
			}
			if reqs[0].Transport == otlptest.TransportHTTP && reqs[0].Path != "/v1/metrics" {
				t.Errorf("path = %q", reqs[0].Path)
			}

			turns := srv.WaitMetrics(t, "codex.turns", 10*time.Second)
			if len(turns) != 1 {
				t.Fatalf("codex.turns arrived %d times, want once", len(turns))
			}
			m := turns[0]
			if got := otlptest.ServiceName(m.Resource); got != "codex-cli" {
				t.Errorf("service.name = %q", got)
			}
			if m.Scope.GetName() != metrics.ScopeName || m.Scope.GetVersion() != otelkit.Version {
				t.Errorf("scope = %s %s", m.Scope.GetName(), m.Scope.GetVersion())
			}
			sum := m.Metric.GetSum()
			if sum == nil || !sum.GetIsMonotonic() || len(sum.GetDataPoints()) != 1 {
				t.Fatalf("codex.turns = %v", m.Metric)
			}
			dp := sum.GetDataPoints()[0]
			if dp.GetAsInt() != 5 {
				t.Errorf("codex.turns = %d, want 5", dp.GetAsInt())
			}
			wantAttrs := map[string]any{"env": "dev", "service": "codex-cli", "model": "gpt-5.1"}
			if got := otlptest.AttrMap(dp.GetAttributes()); !maps.Equal(got, wantAttrs) {
				t.Errorf("codex.turns attributes = %v, want %v", got, wantAttrs)
			}

			dur := srv.WaitMetrics(t, "codex.tool.call.duration_ms", time.Second)[0].Metric
			if dur.GetUnit() != "ms" || dur.GetDescription() != metrics.DescriptionMilliseconds {
				t.Errorf("duration unit %q description %q", dur.GetUnit(), dur.GetDescription())
			}
			hp := dur.GetHistogram().GetDataPoints()
			if len(hp) != 1 || hp[0].GetCount() != 1 || hp[0].GetSum() != 15 ||
				!equalFloats(hp[0].GetExplicitBounds(), metrics.DurationMillisecondsBounds()) || hp[0].GetBucketCounts()[3] != 1 {
				t.Errorf("duration histogram = %v", hp)
			}
			if got := otlptest.AttrMap(hp[0].GetAttributes()); !maps.Equal(got, map[string]any{"env": "prod", "service": "codex-cli", "tool": "shell"}) {
				t.Errorf("duration attributes = %v", got)
			}

			gauge := srv.WaitMetrics(t, "codex.active", time.Second)[0].Metric.GetGauge().GetDataPoints()
			if len(gauge) != 1 || gauge[0].GetAsDouble() != 4 {
				t.Errorf("codex.active = %v", gauge)
			}
		})
	}
}
