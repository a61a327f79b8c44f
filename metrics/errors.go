package metrics

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/otelkit/otelkit"
)

// Sentinel errors. Every error the package returns wraps one of them (use errors.Is), with a message that
// names the offending metric, tag or field.
var (
	// ErrInvalidName is wrapped by errors about a metric name: empty, not starting with an ASCII letter,
	// containing a character other than ASCII letters, digits and "._-/", or longer than 255 characters.
	ErrInvalidName = errors.New("metrics: invalid metric name")
	// ErrInvalidTag is wrapped by errors about a tag key or value: empty, containing a character other than
	// ASCII letters, digits and "._-/", or too long (keys 255, values 1024 characters).
	ErrInvalidTag = errors.New("metrics: invalid tag")
	// ErrNegativeIncrement is returned when a counter is given a negative increment.
	ErrNegativeIncrement = errors.New("metrics: counter increment must be non-negative")
	// ErrInvalidValue is returned for a NaN or infinite value, or a negative duration.
	ErrInvalidValue = errors.New("metrics: invalid value")
	// ErrInstrumentConflict is returned when a name is used with another kind, unit or description than the
	// instrument already created (or declared) under that name. No second instrument is created.
	ErrInstrumentConflict = errors.New("metrics: instrument conflict")
	// ErrInvalidConfig is wrapped by every configuration error of [New] and of the options.
	ErrInvalidConfig = errors.New("metrics: invalid configuration")
	// ErrExporterDisabled is returned by [New] when Config.Exporter is off (otelkit.ExporterNone). Use a nil
	// *Client for a client that records nothing.
	ErrExporterDisabled = errors.New("metrics: exporter is disabled")
	// ErrSnapshotUnavailable is returned by [Client.Snapshot] when the client has no snapshot reader.
	ErrSnapshotUnavailable = errors.New("metrics: snapshot reader is not enabled")
	// ErrSnapshot wraps a failure to collect a snapshot.
	ErrSnapshot = errors.New("metrics: failed to collect a snapshot")
	// ErrFlush wraps a failure of [Client.ForceFlush].
	ErrFlush = errors.New("metrics: failed to flush")
	// ErrProviderShutdown wraps a failure to flush or shut down the metrics pipeline in [Client.Shutdown].
	ErrProviderShutdown = errors.New("metrics: failed to flush or shut down the metrics provider")
	// ErrShutdown is returned by every method of a client that has been shut down.
	ErrShutdown = errors.New("metrics: client is shut down")
	// ErrTimerStopped is returned by [Timer.Stop] and [Timer.Record] once the timer has recorded.
	ErrTimerStopped = errors.New("metrics: timer already recorded")
	// ErrTimerNotStarted is returned by [Timer.Stop] and [Timer.Record] on a zero Timer, one not made by
	// [Client.StartTimer]. (A nil *Timer, from a nil *Client, is a no-op instead.)
	ErrTimerNotStarted = errors.New("metrics: timer was not started by Client.StartTimer")
)

// maxQuoted bounds how much of an offending name or value an error message repeats.
const maxQuoted = 96

// quote formats s for an error message, shortened when long.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:maxQuoted], len(s))
}

func configErr(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...))
}

// settingsFields maps the otelkit.Settings fields [New] fills from a Config to the Config fields they come
// from, when the names differ. Environment, ServiceName and ServiceVersion have the same name in both.
var settingsFields = map[string]string{
	"Metrics":              "Exporter",
	"MetricTemporality":    "Temporality",
	"MetricExportInterval": "ExportInterval",
}

// joinType is the type of the errors errors.Join returns.
var joinType = reflect.TypeOf(errors.Join(errors.New("")))

// configFieldNames renames the fields of the *otelkit.SettingsError in err (as returned by
// otelkit.NewProvider for the Settings New builds) to the Config fields the user wrote: Metrics.Endpoint
// becomes Exporter.Endpoint. Only the Field of copies changes; the reason and cause are kept as they are,
// so the message gains nothing, and the copies still wrap otelkit.ErrInvalidSettings. Joined errors are
// rebuilt with their errors renamed; any other error is returned as is.
func configFieldNames(err error) error {
	if se, ok := err.(*otelkit.SettingsError); ok && se != nil {
		renamed := *se
		renamed.Field = configField(se.Field)
		return &renamed
	}
	if err != nil && reflect.TypeOf(err) == joinType {
		errs := err.(interface{ Unwrap() []error }).Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = configFieldNames(e)
		}
		return errors.Join(out...)
	}
	return err
}

// configField maps a Settings field path to the Config field path it comes from.
func configField(field string) string {
	name, rest := field, ""
	if i := strings.IndexAny(field, ".["); i >= 0 {
		name, rest = field[:i], field[i:]
	}
	if to, ok := settingsFields[name]; ok {
		return to + rest
	}
	return field
}
