package otelkit

import (
	"time"
)

// Settings configures a [Provider]. The zero value is valid: every signal is off and the provider is a no-op.
//
// Settings can be written in code, decoded from JSON or YAML (the field tags; in JSON a duration is a string
// such as "10s" or integer nanoseconds, see [Settings.UnmarshalJSON]), or read from the standard OTEL_*
// environment variables with [SettingsFromEnv]. Precedence is simply the order you apply them in: read the
// environment first, then set fields in code, and code wins.
type Settings struct {
	// Disabled turns every signal off (OTEL_SDK_DISABLED=true) while keeping the provider usable.
	Disabled bool `json:"disabled,omitempty" yaml:"disabled,omitempty"`

	// Environment becomes the resource attribute deployment.environment.name.
	Environment string `json:"environment,omitempty" yaml:"environment,omitempty"`
	// ServiceName becomes service.name (OTEL_SERVICE_NAME); default "unknown_service:<executable>".
	ServiceName string `json:"service_name,omitempty" yaml:"service_name,omitempty"`
	// ServiceVersion becomes service.version.
	ServiceVersion string `json:"service_version,omitempty" yaml:"service_version,omitempty"`
	// ResourceAttributes are added to the resource (OTEL_RESOURCE_ATTRIBUTES). The fields above win on conflict.
	ResourceAttributes map[string]string `json:"resource_attributes,omitempty" yaml:"resource_attributes,omitempty"`

	// Traces is where spans go (OTEL_TRACES_EXPORTER and the OTEL_EXPORTER_OTLP_[TRACES_]* variables).
	Traces Exporter `json:"traces" yaml:"traces"`
	// Metrics is where metrics go (OTEL_METRICS_EXPORTER and the OTEL_EXPORTER_OTLP_[METRICS_]* variables).
	Metrics Exporter `json:"metrics" yaml:"metrics"`
	// Logs is where log records go (OTEL_LOGS_EXPORTER and the OTEL_EXPORTER_OTLP_[LOGS_]* variables).
	Logs Exporter `json:"logs" yaml:"logs"`

	// SpanAttributes are set on every span when it starts (not on the resource).
	SpanAttributes map[string]string `json:"span_attributes,omitempty" yaml:"span_attributes,omitempty"`
	// TraceState holds W3C tracestate members merged into every outgoing tracestate: member key → field → value,
	// encoded as "field:value;field2:value2". Configured members come first; fields already present in an
	// incoming member are replaced in place; other members are kept.
	TraceState map[string]map[string]string `json:"tracestate,omitempty" yaml:"tracestate,omitempty"`
	// Propagators lists the text-map propagators (OTEL_PROPAGATORS): "tracecontext", "baggage" or "none".
	// Empty means tracecontext,baggage.
	Propagators []string `json:"propagators,omitempty" yaml:"propagators,omitempty"`

	// Sampler chooses which traces are recorded (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG).
	Sampler Sampler `json:"sampler,omitempty" yaml:"sampler,omitempty"`

	// MetricExportInterval is the period of metric exports (OTEL_METRIC_EXPORT_INTERVAL; default 60s).
	MetricExportInterval time.Duration `json:"metric_export_interval,omitempty" yaml:"metric_export_interval,omitempty"`
	// MetricExportTimeout bounds one scheduled metric export (OTEL_METRIC_EXPORT_TIMEOUT; default 30s). The
	// exporter's own Timeout also applies.
	MetricExportTimeout time.Duration `json:"metric_export_timeout,omitempty" yaml:"metric_export_timeout,omitempty"`
	// MetricTemporality is "cumulative" (default) or "delta"
	// (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE; "lowmemory" is accepted as delta for counters and histograms).
	MetricTemporality string `json:"metric_temporality,omitempty" yaml:"metric_temporality,omitempty"`
	// MetricCardinalityLimit caps the distinct attribute sets per instrument (default 2000, the SDK default);
	// further sets go to the overflow series. Negative means no limit.
	MetricCardinalityLimit int `json:"metric_cardinality_limit,omitempty" yaml:"metric_cardinality_limit,omitempty"`
	// SnapshotReader registers a manual metric reader so that current values can be read on demand
	// without touching the periodic export (see Provider.SnapshotReader).
	SnapshotReader bool `json:"snapshot_reader,omitempty" yaml:"snapshot_reader,omitempty"`

	// SpanBatch sizes the span batch processor (OTEL_BSP_*).
	SpanBatch Batch `json:"span_batch,omitempty" yaml:"span_batch,omitempty"`
	// LogBatch sizes the log record batch processor (OTEL_BLRP_*).
	LogBatch Batch `json:"log_batch,omitempty" yaml:"log_batch,omitempty"`
}

// Sampler selects a trace sampler by its OTEL_TRACES_SAMPLER name.
type Sampler struct {
	// Name is one of always_on, always_off, traceidratio, parentbased_always_on (the default),
	// parentbased_always_off or parentbased_traceidratio, in any case.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Ratio is the sampling probability in [0, 1] for the traceidratio samplers (default 1). Setting it with
	// another sampler is an error: it would have no effect.
	Ratio *float64 `json:"ratio,omitempty" yaml:"ratio,omitempty"`
}

// Batch sizes a batch processor. Zero fields take the defaults.
//
// The queue is bounded: when it is full a new item is dropped and counted (see [Provider.Stats]) unless
// Blocking is set, in which case the caller waits for room. The batch being exported (or retried while the
// collector is unreachable) is held outside the queue, so a signal holds at most twice MaxQueueSize items.
//
// Delivery is at least once: an export that times out after the collector accepted it is sent again.
type Batch struct {
	// MaxQueueSize bounds the items waiting for export (default 2048).
	MaxQueueSize int `json:"max_queue_size,omitempty" yaml:"max_queue_size,omitempty"`
	// MaxExportBatchSize bounds one export (default 512, at most MaxQueueSize).
	MaxExportBatchSize int `json:"max_export_batch_size,omitempty" yaml:"max_export_batch_size,omitempty"`
	// ScheduleDelay is the longest an item waits before export (default 5s for spans, 1s for logs).
	ScheduleDelay time.Duration `json:"schedule_delay,omitempty" yaml:"schedule_delay,omitempty"`
	// ExportTimeout bounds one batch export (default 30s). The exporter's own Timeout also applies.
	ExportTimeout time.Duration `json:"export_timeout,omitempty" yaml:"export_timeout,omitempty"`
	// Blocking makes producers wait for room instead of dropping when the queue is full.
	Blocking bool `json:"blocking,omitempty" yaml:"blocking,omitempty"`
	// MaxConcurrentExports is how many batches an OTLP exporter sends at once (default 4), so that a flush of
	// many batches to a distant collector takes a few round trips rather than one per batch. The console
	// exporter always sends one at a time.
	MaxConcurrentExports int `json:"max_concurrent_exports,omitempty" yaml:"max_concurrent_exports,omitempty"`
}

const (
	defaultTimeout           = 10 * time.Second
	defaultMetricInterval    = 60 * time.Second
	defaultQueueSize         = 2048
	defaultBatchSize         = 512
	defaultSpanDelay         = 5 * time.Second
	defaultLogDelay          = time.Second
	defaultExportTimeout     = 30 * time.Second
	defaultCardinalityLimit  = 2000
	defaultConcurrentExports = 4
)

func (b Batch) withDefaults(delay time.Duration) Batch {
	if b.MaxQueueSize <= 0 {
		b.MaxQueueSize = defaultQueueSize
	}
	if b.MaxExportBatchSize <= 0 {
		b.MaxExportBatchSize = defaultBatchSize
	}
	if b.MaxExportBatchSize > b.MaxQueueSize {
		b.MaxExportBatchSize = b.MaxQueueSize
	}
	if b.ScheduleDelay <= 0 {
		b.ScheduleDelay = delay
	}
	if b.ExportTimeout <= 0 {
		b.ExportTimeout = defaultExportTimeout
	}
	if b.MaxConcurrentExports <= 0 {
		b.MaxConcurrentExports = defaultConcurrentExports
	}
	return b
}
