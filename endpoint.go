package otelkit

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Signal names one of the three telemetry signals.
type Signal string

const (
	// SignalTraces is spans.
	SignalTraces Signal = "traces"
	// SignalMetrics is metric data points.
	SignalMetrics Signal = "metrics"
	// SignalLogs is log records.
	SignalLogs Signal = "logs"
)

func (s Signal) field() string {
	switch s {
	case SignalTraces:
		return "Traces"
	case SignalMetrics:
		return "Metrics"
	default:
		return "Logs"
	}
}

const (
	defaultHTTPEndpoint = "http://localhost:4318"
	defaultGRPCEndpoint = "http://localhost:4317"
)

// httpEndpoint applies the endpoint rule: a URL without a path gets /v1/<signal>; a path is used as given.
// It returns the URL to post to and whether it is plaintext.
func httpEndpoint(field, raw string, sig Signal) (*url.URL, error) {
	if raw == "" {
		raw = defaultHTTPEndpoint
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse errors quote the input, which may hold credentials; report only the kind of problem.
		return nil, invalid(field, "not a valid URL")
	}
	if u.Opaque != "" || u.Scheme == "" {
		// "collector:4318" parses as scheme "collector" with opaque "4318".
		return nil, invalid(field, "missing scheme: an OTLP/HTTP endpoint must start with http:// or https://")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	default:
		return nil, invalid(field, "unsupported scheme "+quote(u.Scheme)+" (want http or https)")
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, invalid(field, "missing host")
	}
	if port := u.Port(); port != "" && !validPort(port) {
		return nil, invalid(field, "port must be a number from 1 to 65535")
	}
	if strings.HasSuffix(u.Host, ":") {
		return nil, invalid(field, "empty port")
	}
	if u.Fragment != "" {
		return nil, invalid(field, "must not have a #fragment")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/" + string(sig)
		u.RawPath = ""
	}
	return u, nil
}

// grpcEndpoint parses "host:port" or "http(s)://host:port". It returns the dial target and the lower-case
// scheme ("" when the endpoint has none).
func grpcEndpoint(field, raw string) (target string, scheme string, err error) {
	if raw == "" {
		raw = defaultGRPCEndpoint
	}
	hostport := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		u, perr := url.Parse(raw)
		if perr != nil {
			return "", "", invalid(field, "not a valid URL")
		}
		scheme = strings.ToLower(u.Scheme)
		if scheme != "http" && scheme != "https" {
			return "", "", invalid(field, "unsupported scheme "+quote(u.Scheme)+" (want http, https or none)")
		}
		if u.Path != "" && u.Path != "/" {
			return "", "", invalid(field, "an OTLP/gRPC endpoint has no path (use host:port)")
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return "", "", invalid(field, "an OTLP/gRPC endpoint must not carry user info, a query or a fragment")
		}
		hostport = u.Host
	}
	host, port, serr := net.SplitHostPort(hostport)
	if serr != nil || host == "" || port == "" {
		return "", "", invalid(field, "want host:port")
	}
	if !validPort(port) {
		return "", "", invalid(field, "port must be a number from 1 to 65535")
	}
	return net.JoinHostPort(host, port), scheme, nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && p[0] != '+'
}

// redactURL renders u for messages: scheme, host and path only (no user info, no query).
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// quote renders a configured value for an error message: quoted, control characters as '?', and cut to 64
// bytes at a character boundary.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a character (see sanitizeMessage)
		}
		s = s[:cut] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s) + `"`
}
