package otelkit

import (
	"encoding/json"
	"errors"

	"github.com/otelkit/otelkit/internal/jsonconf"
)

// Durations in JSON configuration may be written as Go duration strings ("10s", "1m30s", "250ms") or, as
// encoding/json writes a time.Duration, as integer nanoseconds. The UnmarshalJSON methods below accept both
// for every duration field; the other fields decode as usual. (YAML decoders such as gopkg.in/yaml.v3 already
// read "10s" into a time.Duration.)

// UnmarshalJSON implements json.Unmarshaler. Durations may be Go duration strings such as "10s" or integer
// nanoseconds, here and in the nested exporters and batches; a bad one is an error wrapping
// [ErrInvalidSettings] that names its JSON key.
func (s *Settings) UnmarshalJSON(b []byte) error {
	type plain Settings
	aux := struct {
		*plain
		MetricExportInterval *jsonconf.Duration `json:"metric_export_interval,omitempty"`
		MetricExportTimeout  *jsonconf.Duration `json:"metric_export_timeout,omitempty"`
	}{(*plain)(s), jsonconf.Field("metric_export_interval", &s.MetricExportInterval),
		jsonconf.Field("metric_export_timeout", &s.MetricExportTimeout)}
	return settingsJSONError(json.Unmarshal(b, &aux))
}

// UnmarshalJSON implements json.Unmarshaler. Durations (here "timeout", and "initial_interval" and
// "max_interval" under "retry") may be Go duration strings such as "10s" or integer nanoseconds; a bad one
// is an error wrapping [ErrInvalidSettings] that names its JSON key.
func (e *Exporter) UnmarshalJSON(b []byte) error {
	type plain Exporter
	aux := struct {
		*plain
		Timeout *jsonconf.Duration `json:"timeout,omitempty"`
	}{(*plain)(e), jsonconf.Field("timeout", &e.Timeout)}
	return settingsJSONError(json.Unmarshal(b, &aux))
}

// UnmarshalJSON implements json.Unmarshaler: see [Exporter.UnmarshalJSON] for durations.
func (r *Retry) UnmarshalJSON(b []byte) error {
	type plain Retry
	aux := struct {
		*plain
		InitialInterval *jsonconf.Duration `json:"initial_interval,omitempty"`
		MaxInterval     *jsonconf.Duration `json:"max_interval,omitempty"`
	}{(*plain)(r), jsonconf.Field("initial_interval", &r.InitialInterval), jsonconf.Field("max_interval", &r.MaxInterval)}
	return settingsJSONError(json.Unmarshal(b, &aux))
}

// UnmarshalJSON implements json.Unmarshaler: see [Exporter.UnmarshalJSON] for durations.
func (bt *Batch) UnmarshalJSON(b []byte) error {
	type plain Batch
	aux := struct {
		*plain
		ScheduleDelay *jsonconf.Duration `json:"schedule_delay,omitempty"`
		ExportTimeout *jsonconf.Duration `json:"export_timeout,omitempty"`
	}{(*plain)(bt), jsonconf.Field("schedule_delay", &bt.ScheduleDelay), jsonconf.Field("export_timeout", &bt.ExportTimeout)}
	return settingsJSONError(json.Unmarshal(b, &aux))
}

// settingsJSONError turns a bad duration into a SettingsError naming its JSON key.
func settingsJSONError(err error) error {
	var je *jsonconf.Error
	if errors.As(err, &je) { // one from a nested exporter or batch was converted already
		return invalid(je.Key, je.Reason)
	}
	return err
}
