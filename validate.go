package otelkit

import (
	"crypto/tls"
	"errors"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// plan is Settings after validation: everything NewProvider needs, with defaults applied and files read.
type plan struct {
	settings      Settings
	traces        exporterPlan
	metrics       exporterPlan
	logs          exporterPlan
	sampler       sdktrace.Sampler
	spanAttrs     []attribute.KeyValue
	resAttrs      []attribute.KeyValue
	propagator    propagation.TextMapPropagator
	temporality   sdkmetric.TemporalitySelector
	spanBatch     Batch
	logBatch      Batch
	interval      time.Duration
	metricTimeout time.Duration
	cardinality   int
}

// exporterPlan is one validated Exporter.
type exporterPlan struct {
	signal   Signal
	kind     ExporterKind
	protocol Protocol
	url      *url.URL    // OTLP/HTTP: the full URL to post to
	target   string      // OTLP/gRPC: host:port
	tls      *tls.Config // nil means plaintext
	headers  []header
	timeout  time.Duration
	gzip     bool
	retry    Retry
	writer   io.Writer
	memory   *Memory
}

// endpoint renders where the exporter sends, without secrets.
func (e exporterPlan) endpoint() string {
	switch {
	case e.url != nil:
		return redactURL(e.url)
	case e.target != "":
		if e.tls == nil {
			return "http://" + e.target
		}
		return "https://" + e.target
	}
	return ""
}

// validate checks every setting and reports all problems at once, joined.
func validate(s Settings) (*plan, error) {
	p := &plan{settings: s}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if s.Disabled {
		p.settings.Traces, p.settings.Metrics, p.settings.Logs = Exporter{}, Exporter{}, Exporter{}
	}
	var err error
	p.traces, err = resolveExporter(SignalTraces, p.settings.Traces)
	add(err)
	p.metrics, err = resolveExporter(SignalMetrics, p.settings.Metrics)
	add(err)
	p.logs, err = resolveExporter(SignalLogs, p.settings.Logs)
	add(err)

	p.spanAttrs, err = attributes("SpanAttributes", s.SpanAttributes)
	add(err)
	p.resAttrs, err = attributes("ResourceAttributes", s.ResourceAttributes)
	add(err)
	if err := w3c.ValidateConfigured(s.TraceState); err != nil {
		add(invalidErr("TraceState", "invalid configured tracestate", err))
	} else {
		p.propagator, err = w3c.Propagators(s.Propagators, s.TraceState)
		if err != nil {
			add(invalidErr("Propagators", "unsupported propagator", err))
		}
	}
	p.sampler, err = sampler(s.Sampler)
	add(err)
	p.temporality, err = temporality(s.MetricTemporality)
	add(err)

	p.interval = s.MetricExportInterval
	switch {
	case p.interval < 0:
		add(invalid("MetricExportInterval", "must not be negative"))
	case p.interval == 0:
		p.interval = defaultMetricInterval
	}
	p.metricTimeout = s.MetricExportTimeout
	switch {
	case p.metricTimeout < 0:
		add(invalid("MetricExportTimeout", "must not be negative"))
	case p.metricTimeout == 0:
		p.metricTimeout = defaultExportTimeout
	}
	p.cardinality = s.MetricCardinalityLimit
	if p.cardinality == 0 {
		p.cardinality = defaultCardinalityLimit
	}
	add(checkBatch("SpanBatch", s.SpanBatch))
	add(checkBatch("LogBatch", s.LogBatch))
	p.spanBatch = s.SpanBatch.withDefaults(defaultSpanDelay)
	p.logBatch = s.LogBatch.withDefaults(defaultLogDelay)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

func resolveExporter(sig Signal, e Exporter) (exporterPlan, error) {
	f := sig.field()
	p := exporterPlan{signal: sig, kind: e.Kind, writer: e.Writer, memory: e.Memory, retry: e.Retry}
	switch e.Kind {
	case ExporterNone:
		return p, nil
	case ExporterConsole:
		if p.writer == nil {
			p.writer = os.Stdout
		}
		return p, nil
	case ExporterMemory:
		if e.Memory == nil {
			return p, invalid(f+".Memory", "required for the memory exporter (use otelkit.NewMemory)")
		}
		return p, nil
	case ExporterOTLP:
	default:
		return p, invalid(f+".Kind", "unknown exporter kind "+e.Kind.String())
	}

	var errs []error
	p.protocol = e.Protocol
	if p.protocol == "" {
		p.protocol = ProtocolHTTPProtobuf
	}
	grpc := p.protocol == ProtocolGRPC
	switch p.protocol {
	case ProtocolHTTPProtobuf, ProtocolHTTPJSON:
		u, err := httpEndpoint(f+".Endpoint", e.Endpoint, sig)
		if err != nil {
			errs = append(errs, err)
		} else {
			p.url = u
			if u.Scheme == "https" {
				if e.Insecure {
					errs = append(errs, invalid(f+".Insecure", "conflicts with an https endpoint"))
				}
				p.tls, err = buildTLS(f+".TLS", e.TLS, u.Hostname())
				errs = append(errs, err)
			} else if e.TLS.configured() {
				errs = append(errs, invalid(f+".TLS", "TLS settings given for a plaintext http:// endpoint (use https://)"))
			}
		}
	case ProtocolGRPC:
		target, scheme, err := grpcEndpoint(f+".Endpoint", e.Endpoint)
		if err != nil {
			errs = append(errs, err)
			break
		}
		p.target = target
		plain := scheme == "http" || (scheme == "" && e.Insecure)
		switch {
		case e.Insecure && scheme == "https":
			errs = append(errs, invalid(f+".Insecure", "conflicts with an https endpoint"))
		case plain && e.TLS.configured():
			errs = append(errs, invalid(f+".TLS", "TLS settings given for a plaintext endpoint"))
		case !plain:
			host, _, _ := net.SplitHostPort(target)
			p.tls, err = buildTLS(f+".TLS", e.TLS, host)
			errs = append(errs, err)
		}
	default:
		errs = append(errs, invalid(f+".Protocol", "unknown protocol "+quote(string(e.Protocol))+
			" (want http/protobuf, http/json or grpc)"))
	}
	var err error
	p.headers, err = validateHeaders(f+".Headers", e.Headers, grpc)
	errs = append(errs, err)

	p.timeout = e.Timeout
	switch {
	case p.timeout < 0:
		errs = append(errs, invalid(f+".Timeout", "must not be negative"))
	case p.timeout == 0:
		p.timeout = defaultTimeout
	}
	switch e.Compression {
	case "", CompressionNone:
	case CompressionGzip:
		p.gzip = true
	default:
		errs = append(errs, invalid(f+".Compression", "unknown compression "+quote(string(e.Compression))+" (want none or gzip)"))
	}
	if e.Retry.InitialInterval < 0 || e.Retry.MaxInterval < 0 {
		errs = append(errs, invalid(f+".Retry", "intervals must not be negative"))
	}
	if p.retry.InitialInterval == 0 {
		p.retry.InitialInterval = 100 * time.Millisecond
	}
	if p.retry.MaxInterval == 0 {
		p.retry.MaxInterval = 5 * time.Second
	}
	return p, errors.Join(errs...)
}

// attributes validates keys (non-empty, printable, no spaces) and returns them sorted.
func attributes(field string, m map[string]string) ([]attribute.KeyValue, error) {
	if len(m) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	kvs := make([]attribute.KeyValue, 0, len(m))
	for _, k := range keys {
		if k == "" {
			return nil, invalid(field, "empty attribute key")
		}
		if strings.IndexFunc(k, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
			return nil, invalid(field+"["+quote(k)+"]", "attribute key contains a space or control character")
		}
		kvs = append(kvs, attribute.String(k, m[k]))
	}
	return kvs, nil
}

func sampler(s Sampler) (sdktrace.Sampler, error) {
	ratio := 1.0
	if s.Ratio != nil {
		ratio = *s.Ratio
		if math.IsNaN(ratio) || ratio < 0 || ratio > 1 {
			return nil, invalid("Sampler.Ratio", "must be between 0 and 1")
		}
	}
	name := strings.ToLower(strings.TrimSpace(s.Name))
	if s.Ratio != nil && !strings.HasSuffix(name, "traceidratio") {
		return nil, invalid("Sampler.Ratio", "is set, but only the traceidratio samplers take a ratio (Sampler.Name is "+
			quote(s.Name)+")")
	}
	switch name {
	case "", "parentbased_always_on":
		return sdktrace.ParentBased(sdktrace.AlwaysSample()), nil
	case "always_on":
		return sdktrace.AlwaysSample(), nil
	case "always_off":
		return sdktrace.NeverSample(), nil
	case "traceidratio":
		return sdktrace.TraceIDRatioBased(ratio), nil
	case "parentbased_always_off":
		return sdktrace.ParentBased(sdktrace.NeverSample()), nil
	case "parentbased_traceidratio":
		return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio)), nil
	}
	return nil, invalid("Sampler.Name", "unknown sampler "+quote(s.Name)+" (want always_on, always_off, traceidratio, "+
		"parentbased_always_on, parentbased_always_off or parentbased_traceidratio)")
}

func temporality(name string) (sdkmetric.TemporalitySelector, error) {
	switch strings.ToLower(name) {
	case "", "cumulative":
		return sdkmetric.DefaultTemporalitySelector, nil
	case "delta":
		return func(k sdkmetric.InstrumentKind) metricdata.Temporality {
			if k == sdkmetric.InstrumentKindUpDownCounter || k == sdkmetric.InstrumentKindObservableUpDownCounter {
				return metricdata.CumulativeTemporality
			}
			return metricdata.DeltaTemporality
		}, nil
	case "lowmemory":
		return func(k sdkmetric.InstrumentKind) metricdata.Temporality {
			if k == sdkmetric.InstrumentKindCounter || k == sdkmetric.InstrumentKindHistogram {
				return metricdata.DeltaTemporality
			}
			return metricdata.CumulativeTemporality
		}, nil
	}
	return nil, invalid("MetricTemporality", "unknown temporality "+quote(name)+" (want cumulative, delta or lowmemory)")
}

func checkBatch(field string, b Batch) error {
	if b.MaxQueueSize < 0 || b.MaxExportBatchSize < 0 || b.ScheduleDelay < 0 || b.ExportTimeout < 0 ||
		b.MaxConcurrentExports < 0 {
		return invalid(field, "sizes and durations must not be negative")
	}
	return nil
}
