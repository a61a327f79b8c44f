package otelkit

import (
	"errors"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/otelkit/otelkit/internal/w3c"
)

// SettingsFromEnv reads Settings from the standard OpenTelemetry environment variables:
//
//	OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_PROPAGATORS,
//	OTEL_{TRACES,METRICS,LOGS}_EXPORTER (otlp, console, none),
//	OTEL_EXPORTER_OTLP[_{TRACES,METRICS,LOGS}]_{ENDPOINT,HEADERS,PROTOCOL,TIMEOUT,COMPRESSION,
//	    CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY,INSECURE},
//	OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, OTEL_METRIC_EXPORT_INTERVAL, OTEL_METRIC_EXPORT_TIMEOUT,
//	OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, OTEL_BSP_*, OTEL_BLRP_*.
//
// Signal-specific variables win over the general ones (headers are merged, the signal's value winning per
// name). Durations are integer milliseconds; enumerated values (exporters, protocols, samplers,
// compression, temporality, propagators, booleans) are case-insensitive. A variable with a bad value is an
// error naming the variable, reported once even when it applies to several signals; header values are never
// echoed. The values NewProvider would refuse (endpoints, headers, the sampler and its ratio,
// OTEL_EXPORTER_OTLP_INSECURE with an https endpoint, propagators, temporality) are checked here already, so
// that the error names the variable rather than a Settings field. Certificate files are read by
// NewProvider, whose errors name the Settings field (Traces.TLS.CAFile and so on).
//
// # Precedence
//
// Code overrides the environment: call SettingsFromEnv first, then set fields in code.
//
// # Differences from the SDK defaults
//
// A signal is exported only when asked: its exporter variable is set, or an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT or the signal's own). The specification's default of OTLP to localhost would
// make an unconfigured program retry against a collector that is not there. The general
// OTEL_EXPORTER_OTLP_ENDPOINT is a base URL and gets /v1/<signal> appended, as the specification says; a
// signal-specific endpoint follows the [Exporter] endpoint rule (used as given when it has a path, completed
// with /v1/<signal> when it has none), so that a base URL there never posts to "/".
func SettingsFromEnv() (Settings, error) { return settingsFromLookup(os.LookupEnv) }

type envReader struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (e *envReader) str(name string) string {
	v, _ := e.lookup(name)
	return strings.TrimSpace(v)
}

func (e *envReader) fail(name, reason string) { e.add(invalid(name, reason)) }

// add records err once: a general variable (OTEL_EXPORTER_OTLP_HEADERS) is read for each signal, and its
// error would otherwise be reported up to three times.
func (e *envReader) add(err error) {
	if err == nil {
		return
	}
	for _, prev := range e.errs {
		if prev.Error() == err.Error() {
			return
		}
	}
	e.errs = append(e.errs, err)
}

// check records err, a validation error naming a Settings field, as an error of the variable name.
func (e *envReader) check(name string, err error) {
	var se *SettingsError
	if errors.As(err, &se) {
		e.add(&SettingsError{Field: name, Reason: se.Reason, Err: se.Err})
	} else if err != nil {
		e.add(invalidErr(name, "invalid value", err))
	}
}

func (e *envReader) boolean(name string) bool {
	switch v := strings.ToLower(e.str(name)); v {
	case "", "false":
		return false
	case "true":
		return true
	}
	e.fail(name, "want true or false")
	return false
}

func (e *envReader) millis(name string) time.Duration {
	v := e.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		e.fail(name, "want a non-negative integer number of milliseconds")
		return 0
	}
	return time.Duration(n) * time.Millisecond
}

func (e *envReader) integer(name string) int {
	v := e.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		e.fail(name, "want a non-negative integer")
		return 0
	}
	return n
}

// keyValues parses "k=v,k2=v2" with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES, *_HEADERS).
// With secret set, errors never show the value.
func (e *envReader) keyValues(name string, secret bool) map[string]string {
	raw := e.str(name)
	if raw == "" {
		return nil
	}
	out := map[string]string{}
	for i, part := range strings.Split(raw, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			e.fail(name, "want comma-separated key=value pairs")
			return nil
		}
		if secret && strings.ContainsAny(k, ": \t") {
			// "Authorization: Basic dXNl...==" split at its first '=': the credential is in the key. Say where,
			// not what.
			e.fail(name, "entry "+strconv.Itoa(i+1)+" is not name=value: a header name cannot contain ':' or spaces "+
				"(write Authorization=Basic%20..., not Authorization: Basic ...)")
			return nil
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			if secret {
				e.fail(name, "value of "+quote(k)+" is not valid percent-encoding")
			} else {
				e.fail(name, "value of "+quote(k)+" is not valid percent-encoding: "+quote(v))
			}
			return nil
		}
		out[k] = dv
	}
	return out
}

// headers reads a *_HEADERS variable and checks its names and values as NewProvider would, so that the error
// names the variable (once, though the general variable applies to every signal). Values are never shown.
func (e *envReader) headers(name string, grpc bool) map[string]string {
	h := e.keyValues(name, true)
	if _, err := validateHeaders(name, h, grpc); err != nil {
		e.add(err)
		return nil
	}
	return h
}

func settingsFromLookup(lookup func(string) (string, bool)) (Settings, error) {
	e := &envReader{lookup: lookup}
	var s Settings
	s.Disabled = e.boolean("OTEL_SDK_DISABLED")
	s.ServiceName = e.str("OTEL_SERVICE_NAME")
	s.ResourceAttributes = e.keyValues("OTEL_RESOURCE_ATTRIBUTES", false)
	if env := s.ResourceAttributes["deployment.environment.name"]; env != "" {
		s.Environment = env
	}
	if v := s.ResourceAttributes["service.version"]; v != "" {
		s.ServiceVersion = v
	}
	if v := e.str("OTEL_PROPAGATORS"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				s.Propagators = append(s.Propagators, p)
			}
		}
		if _, err := w3c.Propagators(s.Propagators, nil); err != nil {
			e.add(invalidErr("OTEL_PROPAGATORS", "unsupported propagator", err))
		}
	}
	s.Traces = e.exporter(SignalTraces)
	s.Metrics = e.exporter(SignalMetrics)
	s.Logs = e.exporter(SignalLogs)

	s.Sampler.Name = strings.ToLower(e.str("OTEL_TRACES_SAMPLER"))
	if _, err := sampler(Sampler{Name: s.Sampler.Name}); err != nil {
		e.check("OTEL_TRACES_SAMPLER", err)
	}
	if v := e.str("OTEL_TRACES_SAMPLER_ARG"); v != "" && strings.Contains(s.Sampler.Name, "traceidratio") {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(r) || r < 0 || r > 1 {
			e.fail("OTEL_TRACES_SAMPLER_ARG", "want a number between 0 and 1")
		} else {
			s.Sampler.Ratio = &r
		}
	}
	s.MetricExportInterval = e.millis("OTEL_METRIC_EXPORT_INTERVAL")
	s.MetricExportTimeout = e.millis("OTEL_METRIC_EXPORT_TIMEOUT")
	s.MetricTemporality = e.str("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")
	if _, err := temporality(s.MetricTemporality); err != nil {
		e.check("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", err)
	}
	s.SpanBatch = e.batch("OTEL_BSP_")
	s.LogBatch = e.batch("OTEL_BLRP_")
	if len(e.errs) > 0 {
		return Settings{}, errors.Join(e.errs...)
	}
	return s, nil
}

func (e *envReader) batch(prefix string) Batch {
	return Batch{
		MaxQueueSize:       e.integer(prefix + "MAX_QUEUE_SIZE"),
		MaxExportBatchSize: e.integer(prefix + "MAX_EXPORT_BATCH_SIZE"),
		ScheduleDelay:      e.millis(prefix + "SCHEDULE_DELAY"),
		ExportTimeout:      e.millis(prefix + "EXPORT_TIMEOUT"),
	}
}

// exporter reads one signal's exporter, signal-specific variables first.
func (e *envReader) exporter(sig Signal) Exporter {
	up := strings.ToUpper(string(sig))
	sv := func(suffix string) string { return "OTEL_EXPORTER_OTLP_" + up + "_" + suffix }
	gv := func(suffix string) string { return "OTEL_EXPORTER_OTLP_" + suffix }
	pick := func(suffix string) (string, string) {
		if v := e.str(sv(suffix)); v != "" {
			return v, sv(suffix)
		}
		return e.str(gv(suffix)), gv(suffix)
	}

	kindVar := "OTEL_" + up + "_EXPORTER"
	var ex Exporter
	endpoint, endpointVar := pick("ENDPOINT")
	switch k := strings.ToLower(e.str(kindVar)); k {
	case "":
		if endpoint == "" {
			return ex // nothing asked for: the signal stays off
		}
		ex.Kind = ExporterOTLP
	case "otlp":
		ex.Kind = ExporterOTLP
	case "console":
		return Exporter{Kind: ExporterConsole}
	case "none":
		return ex
	default:
		if strings.Contains(k, ",") {
			e.fail(kindVar, "one exporter per signal is supported")
		} else {
			e.fail(kindVar, "unknown exporter "+quote(k)+" (want otlp, console or none)")
		}
		return ex
	}

	proto, protoVar := pick("PROTOCOL")
	protoOK := true
	switch p := Protocol(strings.ToLower(proto)); p {
	case "", ProtocolHTTPProtobuf, ProtocolHTTPJSON, ProtocolGRPC:
		ex.Protocol = p
	default:
		protoOK = false
		e.fail(protoVar, "unknown protocol "+quote(proto)+" (want http/protobuf, http/json or grpc)")
	}
	// The endpoint is checked as NewProvider checks it, but the error names the variable.
	var scheme string
	if endpoint != "" && protoOK {
		if ex.Protocol == ProtocolGRPC {
			_, sch, err := grpcEndpoint(endpointVar, endpoint)
			e.add(err)
			scheme = sch
		} else if u, err := httpEndpoint(endpointVar, endpoint, sig); err != nil {
			e.add(err)
		} else {
			scheme = u.Scheme
		}
	}
	ex.Endpoint = endpoint
	if endpointVar == "OTEL_EXPORTER_OTLP_ENDPOINT" && endpoint != "" && ex.Protocol != ProtocolGRPC {
		// The general variable is a base URL: the signal path goes after its path, before any query.
		if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" && u.Opaque == "" {
			ex.Endpoint = u.JoinPath("v1", string(sig)).String()
		} // else left as is: NewProvider reports the bad URL, naming the field
	}
	grpc := ex.Protocol == ProtocolGRPC
	headers := e.headers(gv("HEADERS"), grpc)
	for k, v := range e.headers(sv("HEADERS"), grpc) {
		if headers == nil {
			headers = map[string]string{}
		}
		for hk := range headers { // the signal's header replaces the general one whatever the case
			if strings.EqualFold(hk, k) {
				delete(headers, hk)
			}
		}
		headers[k] = v
	}
	ex.Headers = headers
	_, timeoutVar := pick("TIMEOUT")
	ex.Timeout = e.millis(timeoutVar)
	comp, compVar := pick("COMPRESSION")
	switch Compression(strings.ToLower(comp)) {
	case "", CompressionNone:
	case CompressionGzip:
		ex.Compression = CompressionGzip
	default:
		e.fail(compVar, "unknown compression "+quote(comp)+" (want gzip or none)")
	}
	ex.TLS.CAFile, _ = pick("CERTIFICATE")
	ex.TLS.CertFile, _ = pick("CLIENT_CERTIFICATE")
	ex.TLS.KeyFile, _ = pick("CLIENT_KEY")
	_, insecureVar := pick("INSECURE")
	ex.Insecure = e.boolean(insecureVar)
	if ex.Insecure && scheme == "https" {
		e.fail(insecureVar, "true conflicts with the https endpoint of "+endpointVar)
	}
	return ex
}
