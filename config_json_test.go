package otelkit_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
)

// JSON configuration may write durations as Go duration strings or as integer nanoseconds (what
// encoding/json writes for a time.Duration), in every duration field; the other fields decode as usual and
// a Settings survives a round trip.
func TestSettingsJSONDurations(t *testing.T) {
	const doc = `{
		"service_name": "checkout",
		"metric_export_interval": "15s",
		"metric_export_timeout": 5000000000,
		"traces": {"kind": "otlp", "protocol": "http/json", "endpoint": "http://collector:4318",
			"headers": {"x-tenant": "a"}, "timeout": "2.5s",
			"retry": {"initial_interval": "100ms", "max_interval": 2000000000}},
		"span_batch": {"max_queue_size": 100, "schedule_delay": "250ms", "export_timeout": "1m"},
		"log_batch": {"schedule_delay": 1000000}
	}`
	var s otelkit.Settings
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatal(err)
	}
	want := otelkit.Settings{ServiceName: "checkout", MetricExportInterval: 15 * time.Second,
		MetricExportTimeout: 5 * time.Second,
		Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.ProtocolHTTPJSON,
			Endpoint: "http://collector:4318", Headers: map[string]string{"x-tenant": "a"}, Timeout: 2500 * time.Millisecond,
			Retry: otelkit.Retry{InitialInterval: 100 * time.Millisecond, MaxInterval: 2 * time.Second}},
		SpanBatch: otelkit.Batch{MaxQueueSize: 100, ScheduleDelay: 250 * time.Millisecond, ExportTimeout: time.Minute},
		LogBatch:  otelkit.Batch{ScheduleDelay: time.Millisecond}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", s.Redacted(), want.Redacted())
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back otelkit.Settings
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip through %s = %+v, %v", b, back.Redacted(), err)
	}
	p, err := otelkit.NewProvider(s) // what was decoded is valid Settings
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Shutdown(t.Context()) // nothing was recorded

}

// A bad duration is an error wrapping ErrInvalidSettings that names the JSON key.
func TestSettingsJSONBadDuration(t *testing.T) {
	for doc, key := range map[string]string{
		`{"metric_export_interval": "15 seconds"}`:     "metric_export_interval",
		`{"traces": {"timeout": "soon"}}`:              "timeout",
		`{"traces": {"retry": {"max_interval": 1.5}}}`: "max_interval",
		`{"span_batch": {"export_timeout": true}}`:     "export_timeout",
		`{"logs": {"kind": "otlp", "timeout": "10"}}`:  "timeout",
	} {
		var s otelkit.Settings
		err := json.Unmarshal([]byte(doc), &s)
		var se *otelkit.SettingsError
		if !errors.As(err, &se) || se.Field != key || !errors.Is(err, otelkit.ErrInvalidSettings) {
			t.Errorf("%s: err = %v, want a SettingsError for %s", doc, err, key)
			continue
		}
		if !strings.Contains(err.Error(), "10s") {
			t.Errorf("%s: err = %q, want it to show the expected form", doc, err)
		}
	}
}
