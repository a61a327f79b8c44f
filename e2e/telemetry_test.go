package e2e

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseTelemetry(t *testing.T) {
	in := `# HELP x_total A counter.
# TYPE x_total counter
x_total{a="1",b="with \"quotes\", commas} and \\ backslash\nnewline"} 2
x_total{a="2"} 3.5 1700000000000

plain 1e3
empty{} 0
trailing_comma{a="x",} 1
otelcol_exporter_enqueue_size_bucket{exporter="otlp_http",le="+Inf"} 1
`
	tel, err := ParseTelemetry(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{
		{Name: "x_total", Labels: map[string]string{"a": "1", "b": "with \"quotes\", commas} and \\ backslash\nnewline"}, Value: 2},
		{Name: "x_total", Labels: map[string]string{"a": "2"}, Value: 3.5},
		{Name: "plain", Labels: map[string]string{}, Value: 1000},
		{Name: "empty", Labels: map[string]string{}, Value: 0},
		{Name: "trailing_comma", Labels: map[string]string{"a": "x"}, Value: 1},
		{Name: "otelcol_exporter_enqueue_size_bucket", Labels: map[string]string{"exporter": "otlp_http", "le": "+Inf"}, Value: 1},
	}
	if !reflect.DeepEqual(tel.Samples, want) {
		t.Fatalf("samples:\n got %#v\nwant %#v", tel.Samples, want)
	}
	if v, ok := tel.Sum("x_total", map[string]string{"a": "2"}); !ok || v != 3.5 {
		t.Errorf("Sum(x_total, a=2) = %v, %v", v, ok)
	}
	if v, ok := tel.Sum("x_total", nil); !ok || v != 5.5 {
		t.Errorf("Sum(x_total) = %v, %v", v, ok)
	}
	if _, ok := tel.Sum("x_total", map[string]string{"a": "3"}); ok {
		t.Error("Sum with unmatched labels found a series")
	}
	if got := len(tel.Find("x_total")); got != 2 {
		t.Errorf("Find(x_total) = %d samples", got)
	}
	if got := tel.Names("x"); !reflect.DeepEqual(got, []string{"x_total"}) {
		t.Errorf("Names(x) = %v", got)
	}
}

func TestParseTelemetryErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no value":           "metric\n",
		"bad value":          "metric{a=\"b\"} x\n",
		"unterminated label": "metric{a=\"b} 1\n",
		"unquoted label":     "metric{a=b} 1\n",
		"extra fields":       "metric 1 2 3\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseTelemetry(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
				t.Fatalf("ParseTelemetry(%q) error = %v, want one naming line 1", in, err)
			}
		})
	}
}

func TestAcceptanceProblems(t *testing.T) {
	good := `otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 3
otelcol_receiver_refused_spans{receiver="otlp",transport="grpc"} 0
otelcol_exporter_sent_spans{exporter="otlp_http",server_port="1"} 3
`
	want := []acceptance{
		{metric: "otelcol_receiver_accepted_spans", labels: map[string]string{"transport": "grpc"}, want: 3},
		{metric: "otelcol_receiver_refused_spans", labels: map[string]string{"transport": "grpc"}, want: 0},
		{metric: "otelcol_exporter_sent_spans", labels: map[string]string{"exporter": "otlp_http"}, want: 3},
		{metric: "otelcol_exporter_send_failed_spans", labels: map[string]string{"exporter": "otlp_http"}, want: 0, optional: true},
	}
	tel, err := ParseTelemetry(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if p := problems(tel, want); len(p) != 0 {
		t.Fatalf("problems with a good scrape: %v", p)
	}
	bad := strings.ReplaceAll(good, "} 3\notelcol_receiver_refused", "} 2\notelcol_receiver_refused") +
		"otelcol_exporter_send_failed_spans_total{exporter=\"otlp_http\",error_type=\"x\"} 1\n"
	bad = strings.ReplaceAll(bad, "otelcol_exporter_sent_spans", "otelcol_exporter_sent_other")
	tel, err = ParseTelemetry(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	p := problems(tel, want)
	wantP := []string{
		"otelcol_receiver_accepted_spans map[transport:grpc] = 2, want 3",
		"otelcol_exporter_sent_spans map[exporter:otlp_http] is missing, want 3",
		"otelcol_exporter_send_failed_spans map[exporter:otlp_http] = 1, want 0",
	}
	got := strings.Join(p, "\n")
	for _, w := range wantP {
		if !strings.Contains(got, strings.Replace(w, " map", "map", 1)) {
			t.Errorf("problems %q lack %q", p, w)
		}
	}
	if len(p) != len(wantP) {
		t.Errorf("got %d problems, want %d: %q", len(p), len(wantP), p)
	}
}

// FuzzParseTelemetry: whatever a scrape returns, the parser never panics, and what it accepts is well formed:
// every sample has a name without spaces or braces, and a line that failed is named in the error.
func FuzzParseTelemetry(f *testing.F) {
	for _, s := range []string{
		"# HELP x A counter.\nx_total{a=\"1\",b=\"q\\\"\\\\\\n\"} 2 1700000000000\n",
		"plain 1e3\nempty{} 0\ntrailing_comma{a=\"x\",} 1\n",
		"m{a=\"b} 1\n", "m{a=b} 1\n", "m 1 2 3\n", "{a=\"b\"} 1\n", "m{\t=\"x\"} NaN\n", "m +Inf\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tel, err := ParseTelemetry(strings.NewReader(in))
		if err != nil {
			if !strings.Contains(err.Error(), "e2e: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		for _, s := range tel.Samples {
			if s.Name == "" || strings.ContainsAny(s.Name, "{ ") || s.Labels == nil {
				t.Fatalf("malformed sample %#v from %q", s, in)
			}
		}
	})
}
