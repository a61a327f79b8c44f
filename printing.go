package otelkit

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
)

// Settings and Exporter hold secrets (header values such as API keys, endpoint credentials, a private key in
// memory). Printing them with fmt (%v, %+v) or logging them with slog goes through the methods below, which
// leave the secrets out. encoding/json and YAML encoders still see every field, as configuration formats must.

// Redacted returns a copy of s that is safe to print: each exporter as [Exporter.Redacted] returns it.
func (s Settings) Redacted() Settings {
	s.Traces = s.Traces.Redacted()
	s.Metrics = s.Metrics.Redacted()
	s.Logs = s.Logs.Redacted()
	return s
}

// String renders s like %+v would, with the secrets left out (see [Settings.Redacted]).
func (s Settings) String() string { return fmt.Sprintf("%+v", settingsView(s.Redacted())) }

// LogValue implements [slog.LogValuer]: s is logged with the secrets left out (see [Settings.Redacted]).
func (s Settings) LogValue() slog.Value { return slog.AnyValue(settingsView(s.Redacted())) }

// Redacted returns a copy of e that is safe to print: header values, the endpoint's user info and query
// values, and the private key given in memory (TLS.KeyPEM) are replaced by "[REDACTED]"; header names,
// query keys and file paths are kept. An endpoint that is not a valid URL is replaced whole.
func (e Exporter) Redacted() Exporter {
	if len(e.Headers) > 0 {
		h := make(map[string]string, len(e.Headers))
		for k := range e.Headers {
			h[k] = redacted
		}
		e.Headers = h
	}
	e.Endpoint = redactEndpoint(e.Endpoint)
	if len(e.TLS.KeyPEM) > 0 {
		e.TLS.KeyPEM = []byte(redacted)
	}
	return e
}

// String renders e like %+v would, with the secrets left out (see [Exporter.Redacted]).
func (e Exporter) String() string { return fmt.Sprintf("%+v", exporterView(e.Redacted())) }

// LogValue implements [slog.LogValuer]: e is logged with the secrets left out (see [Exporter.Redacted]).
func (e Exporter) LogValue() slog.Value { return slog.AnyValue(exporterView(e.Redacted())) }

// String renders t with the file paths, the server name and the sizes of the certificates given in memory;
// a private key given in memory shows as "[REDACTED]".
func (t TLS) String() string {
	key := ""
	if len(t.KeyPEM) > 0 {
		key = redacted
	}
	return fmt.Sprintf("{CAFile:%s CertFile:%s KeyFile:%s CAPEM:%s CertPEM:%s KeyPEM:%s ServerName:%s}",
		t.CAFile, t.CertFile, t.KeyFile, pemSize(t.CAPEM), pemSize(t.CertPEM), key, t.ServerName)
}

// settingsView and exporterView have the fields and tags of Settings and Exporter without their methods, so
// that printing a redacted copy does not come back to String or LogValue.
type (
	settingsView Settings
	exporterView Exporter
)

func pemSize(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return "[" + strconv.Itoa(len(b)) + " bytes]"
}

// redactEndpoint replaces an endpoint's user info and query values by "[REDACTED]".
func redactEndpoint(endpoint string) string {
	if endpoint == "" {
		return ""
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return redacted
	}
	if u.User == nil && u.RawQuery == "" {
		return endpoint
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{redacted}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
