package otelkit

import (
	"fmt"
	"io"
	"time"
)

// ExporterKind selects where one signal goes.
type ExporterKind int

const (
	// ExporterNone turns the signal off. It is the zero value.
	ExporterNone ExporterKind = iota
	// ExporterOTLP sends the signal over OTLP using Exporter.Protocol.
	ExporterOTLP
	// ExporterConsole writes the signal as indented JSON to Exporter.Writer (os.Stdout when nil).
	// It is meant for development.
	ExporterConsole
	// ExporterMemory keeps the signal in Exporter.Memory, for tests. Spans and log records are stored
	// synchronously when they end or are emitted; metrics when the provider flushes.
	ExporterMemory
)

var exporterKindNames = [...]string{"none", "otlp", "console", "memory"}

// String returns the name used by OTEL_{TRACES,METRICS,LOGS}_EXPORTER ("none", "otlp", "console") or "memory".
func (k ExporterKind) String() string {
	if k >= 0 && int(k) < len(exporterKindNames) {
		return exporterKindNames[k]
	}
	return fmt.Sprintf("ExporterKind(%d)", int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k ExporterKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It accepts the names String returns.
func (k *ExporterKind) UnmarshalText(b []byte) error {
	for i, n := range exporterKindNames {
		if string(b) == n {
			*k = ExporterKind(i)
			return nil
		}
	}
	if len(b) == 0 {
		*k = ExporterNone
		return nil
	}
	return fmt.Errorf("unknown exporter kind %q (want none, otlp, console or memory)", b)
}

// Protocol is the OTLP transport and encoding, named as OTEL_EXPORTER_OTLP_PROTOCOL names them.
type Protocol string

const (
	// ProtocolHTTPProtobuf is OTLP/HTTP with binary protobuf bodies. It is the default.
	ProtocolHTTPProtobuf Protocol = "http/protobuf"
	// ProtocolHTTPJSON is OTLP/HTTP with OTLP/JSON bodies (hex ids, integer enums, lowerCamelCase keys).
	ProtocolHTTPJSON Protocol = "http/json"
	// ProtocolGRPC is OTLP/gRPC.
	ProtocolGRPC Protocol = "grpc"
)

// Compression names the body compression of OTLP exports.
type Compression string

const (
	// CompressionNone sends bodies uncompressed. It is the default.
	CompressionNone Compression = "none"
	// CompressionGzip gzips bodies (Content-Encoding: gzip over HTTP, the gzip codec over gRPC).
	CompressionGzip Compression = "gzip"
)

// TLS configures the client side of an OTLP connection. Files and PEM bytes may be mixed; a PEM field wins
// over the file of the same role. The zero value uses the system roots for https endpoints.
type TLS struct {
	// CAFile is a PEM file of certificates that replace the system roots (OTEL_EXPORTER_OTLP_CERTIFICATE).
	CAFile string `json:"ca_file,omitempty" yaml:"ca_file,omitempty"`
	// CertFile is a PEM file with the client certificate for mTLS (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE).
	// Give it together with a key (KeyFile or KeyPEM), or not at all.
	CertFile string `json:"cert_file,omitempty" yaml:"cert_file,omitempty"`
	// KeyFile is a PEM file with the client private key for mTLS (OTEL_EXPORTER_OTLP_CLIENT_KEY). Give it
	// together with a certificate (CertFile or CertPEM), or not at all.
	KeyFile string `json:"key_file,omitempty" yaml:"key_file,omitempty"`
	// CAPEM is CAFile's material given in memory; it wins over CAFile.
	CAPEM []byte `json:"-" yaml:"-"`
	// CertPEM is CertFile's material given in memory; it wins over CertFile.
	CertPEM []byte `json:"-" yaml:"-"`
	// KeyPEM is KeyFile's material given in memory; it wins over KeyFile.
	KeyPEM []byte `json:"-" yaml:"-"`
	// ServerName overrides the name checked against the server certificate (default: the endpoint host).
	ServerName string `json:"server_name,omitempty" yaml:"server_name,omitempty"`
}

func (t TLS) configured() bool {
	return t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" ||
		len(t.CAPEM) > 0 || len(t.CertPEM) > 0 || len(t.KeyPEM) > 0 || t.ServerName != ""
}

// Exporter says where one signal (traces, metrics or logs) goes and how.
//
// The zero value is ExporterNone. Use [OTLP], [OTLPJSON], [OTLPGRPC], [Console] or [InMemory] to build one.
//
// # Endpoints
//
// For OTLP over HTTP, an endpoint without a path ("http://collector:4318") gets "/v1/traces", "/v1/metrics" or
// "/v1/logs" appended; an endpoint with a path is used as given. The scheme decides TLS: "https" uses TLS,
// "http" is plaintext. For OTLP/gRPC the endpoint is "host:port" or "http(s)://host:port" without a path;
// without a scheme the connection uses TLS unless Insecure is set. An empty endpoint means the OTLP default
// (http://localhost:4318 for HTTP, http://localhost:4317 for gRPC).
type Exporter struct {
	// Kind selects the exporter; the zero value turns the signal off.
	Kind ExporterKind `json:"kind" yaml:"kind"`
	// Protocol is the OTLP protocol (default http/protobuf). Only for ExporterOTLP.
	Protocol Protocol `json:"protocol,omitempty" yaml:"protocol,omitempty"`
	// Endpoint is the collector address; see the type documentation for how it is completed.
	Endpoint string `json:"endpoint,omitempty" yaml:"endpoint,omitempty"`
	// Headers are sent with every export (for example an API key). Names are matched case-insensitively and must
	// be unique. Values are secrets: they never appear in errors or logs.
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	// Timeout bounds one export, retries included (default 10s).
	Timeout time.Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// Compression is none (default) or gzip.
	Compression Compression `json:"compression,omitempty" yaml:"compression,omitempty"`
	// Insecure asks for plaintext. It is needed only for gRPC endpoints without a scheme; it conflicts with an
	// https endpoint and with TLS settings.
	Insecure bool `json:"insecure,omitempty" yaml:"insecure,omitempty"`
	// TLS configures certificates for https and gRPC-over-TLS endpoints.
	TLS TLS `json:"tls,omitempty" yaml:"tls,omitempty"`
	// Retry configures retries of failed exports (429, 502, 503, 504 and connection errors over HTTP; the
	// retryable status codes over gRPC), always bounded by Timeout and by the caller's context.
	Retry Retry `json:"retry,omitempty" yaml:"retry,omitempty"`
	// Writer is where ExporterConsole writes (default os.Stdout).
	Writer io.Writer `json:"-" yaml:"-"`
	// Memory receives the signal for ExporterMemory. Required for that kind.
	Memory *Memory `json:"-" yaml:"-"`
}

// Retry configures export retries. The zero value retries with the defaults.
type Retry struct {
	// Disabled turns retries off: a failed export is reported at once.
	Disabled bool `json:"disabled,omitempty" yaml:"disabled,omitempty"`
	// InitialInterval is the first backoff (default 100ms); it doubles up to MaxInterval, with ±20% jitter.
	// A server's Retry-After (HTTP) or RetryInfo (gRPC) replaces the backoff for that attempt.
	InitialInterval time.Duration `json:"initial_interval,omitempty" yaml:"initial_interval,omitempty"`
	// MaxInterval caps the backoff between attempts (default 5s).
	MaxInterval time.Duration `json:"max_interval,omitempty" yaml:"max_interval,omitempty"`
}

// OTLP returns an OTLP/HTTP protobuf exporter for endpoint.
func OTLP(endpoint string) Exporter {
	return Exporter{Kind: ExporterOTLP, Protocol: ProtocolHTTPProtobuf, Endpoint: endpoint}
}

// OTLPJSON returns an OTLP/HTTP exporter that sends OTLP/JSON bodies to endpoint.
func OTLPJSON(endpoint string) Exporter {
	return Exporter{Kind: ExporterOTLP, Protocol: ProtocolHTTPJSON, Endpoint: endpoint}
}

// OTLPGRPC returns an OTLP/gRPC exporter for endpoint.
func OTLPGRPC(endpoint string) Exporter {
	return Exporter{Kind: ExporterOTLP, Protocol: ProtocolGRPC, Endpoint: endpoint}
}

// Console returns an exporter that writes the signal to w (os.Stdout when nil).
func Console(w io.Writer) Exporter { return Exporter{Kind: ExporterConsole, Writer: w} }

// InMemory returns an exporter that keeps the signal in m.
func InMemory(m *Memory) Exporter { return Exporter{Kind: ExporterMemory, Memory: m} }

// Enabled reports whether the exporter sends the signal anywhere.
func (e Exporter) Enabled() bool { return e.Kind != ExporterNone }

// WithHeader returns a copy of e with the header set (the map is copied, never shared).
func (e Exporter) WithHeader(name, value string) Exporter {
	h := make(map[string]string, len(e.Headers)+1)
	for k, v := range e.Headers {
		h[k] = v
	}
	h[name] = value
	e.Headers = h
	return e
}
