package otelkit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
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
		MetricExportInterval *jsonDuration `json:"metric_export_interval,omitempty"`
		MetricExportTimeout  *jsonDuration `json:"metric_export_timeout,omitempty"`
	}{(*plain)(s), durationField("metric_export_interval", &s.MetricExportInterval),
		durationField("metric_export_timeout", &s.MetricExportTimeout)}
	return json.Unmarshal(b, &aux)
}

// UnmarshalJSON implements json.Unmarshaler. Durations (here "timeout", and "initial_interval" and
// "max_interval" under "retry") may be Go duration strings such as "10s" or integer nanoseconds; a bad one
// is an error wrapping [ErrInvalidSettings] that names its JSON key.
func (e *Exporter) UnmarshalJSON(b []byte) error {
	type plain Exporter
	aux := struct {
		*plain
		Timeout *jsonDuration `json:"timeout,omitempty"`
	}{(*plain)(e), durationField("timeout", &e.Timeout)}
	return json.Unmarshal(b, &aux)
}

// UnmarshalJSON implements json.Unmarshaler: see [Exporter.UnmarshalJSON] for durations.
func (r *Retry) UnmarshalJSON(b []byte) error {
	type plain Retry
	aux := struct {
		*plain
		InitialInterval *jsonDuration `json:"initial_interval,omitempty"`
		MaxInterval     *jsonDuration `json:"max_interval,omitempty"`
	}{(*plain)(r), durationField("initial_interval", &r.InitialInterval), durationField("max_interval", &r.MaxInterval)}
	return json.Unmarshal(b, &aux)
}

// UnmarshalJSON implements json.Unmarshaler: see [Exporter.UnmarshalJSON] for durations.
func (bt *Batch) UnmarshalJSON(b []byte) error {
	type plain Batch
	aux := struct {
		*plain
		ScheduleDelay *jsonDuration `json:"schedule_delay,omitempty"`
		ExportTimeout *jsonDuration `json:"export_timeout,omitempty"`
	}{(*plain)(bt), durationField("schedule_delay", &bt.ScheduleDelay), durationField("export_timeout", &bt.ExportTimeout)}
	return json.Unmarshal(b, &aux)
}

// jsonDuration decodes into the time.Duration it points to; key names it in errors.
type jsonDuration struct {
	d   *time.Duration
	key string
}

func durationField(key string, d *time.Duration) *jsonDuration { return &jsonDuration{d: d, key: key} }

// UnmarshalJSON implements json.Unmarshaler.
func (j *jsonDuration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return invalidErr(j.key, "want a duration such as \"10s\"", err)
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return invalid(j.key, quote(s)+" is not a duration (want a number and a unit, such as \"10s\" or \"250ms\")")
		}
		*j.d = d
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return invalid(j.key, "want a duration string such as \"10s\" or integer nanoseconds")
	}
	*j.d = time.Duration(n)
	return nil
}
