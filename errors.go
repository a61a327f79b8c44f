package otelkit

import (
	"errors"
	"strings"
)

var (
	// ErrInvalidSettings is wrapped by every error [NewProvider] and [SettingsFromEnv] return for bad
	// configuration. Use errors.As with *[SettingsError] to read the offending field.
	ErrInvalidSettings = errors.New("otelkit: invalid settings")

	// ErrShutdown is returned by ForceFlush after Shutdown.
	ErrShutdown = errors.New("otelkit: provider is shut down")
)

// SettingsError reports one invalid setting. Its message names the field (for example
// `Traces.Headers["authorization"]`) and never contains a header value or key material.
type SettingsError struct {
	// Field is the path of the setting, such as "Metrics.Endpoint" or "TraceState".
	Field string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying cause, if any. It never carries secrets.
	Err error
}

// Error implements error.
func (e *SettingsError) Error() string {
	var b strings.Builder
	b.WriteString("otelkit: invalid settings: ")
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is match [ErrInvalidSettings] and the cause.
func (e *SettingsError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidSettings, e.Err}
	}
	return []error{ErrInvalidSettings}
}

func invalid(field, reason string) error { return &SettingsError{Field: field, Reason: reason} }

func invalidErr(field, reason string, err error) error {
	return &SettingsError{Field: field, Reason: reason, Err: err}
}
