package metrics

import "testing"

func TestConfigField(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Metrics", "Exporter"},
		{"Metrics.Endpoint", "Exporter.Endpoint"},
		{`Metrics.Headers["x-api-key"]`, `Exporter.Headers["x-api-key"]`},
		{"Metrics.TLS.CAFile", "Exporter.TLS.CAFile"},
		{"MetricTemporality", "Temporality"},
		{"MetricExportInterval", "ExportInterval"},
		{"ServiceName", "ServiceName"},
		{"ResourceAttributes", "ResourceAttributes"},
		{"Traces.Endpoint", "Traces.Endpoint"},
		{"MetricsEndpoint", "MetricsEndpoint"},
	} {
		if got := configField(tt.in); got != tt.want {
			t.Errorf("configField(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
