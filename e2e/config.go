package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// DefaultBatchTimeout is the batch processor timeout used when
// [Config.BatchTimeout] is zero: short, so that tests are fast.
const DefaultBatchTimeout = 200 * time.Millisecond

// Config describes the collector [Start] runs: an OTLP receiver with an
// HTTP and a gRPC endpoint on free loopback ports, a batch processor, and an
// otlp_http exporter (binary protobuf) for each of traces, metrics and logs.
// The collector's own metrics are served in the Prometheus format on another
// free loopback port, and its own log is written as JSON lines to a file.
type Config struct {
	// ExportEndpoint is the base URL ("http://127.0.0.1:4318") the otlp_http
	// exporter sends every signal to, with /v1/traces, /v1/metrics and
	// /v1/logs appended. Required.
	ExportEndpoint string
	// TLS, when set, serves both receiver endpoints over TLS.
	TLS *ServerTLS
	// BatchTimeout is the batch processor's timeout (default [DefaultBatchTimeout]).
	BatchTimeout time.Duration
	// LogLevel is the level of the collector's own log: debug, info
	// (default), warn or error.
	LogLevel string
	// Dir is where each start creates a directory for the generated
	// configuration and the collector's log and output. Required by [Start];
	// [Run] defaults it to a test temporary directory.
	Dir string
	// StartTimeout bounds the wait for the collector to listen (default 30s).
	StartTimeout time.Duration
	// StopTimeout bounds the graceful stop before the process is killed
	// (default 15s).
	StopTimeout time.Duration
}

// ServerTLS is the certificate and private key (PEM files) the receiver
// serves TLS with, for example otlptest.Certificates.ServerCertFile and
// ServerKeyFile.
type ServerTLS struct {
	CertFile string
	KeyFile  string
}

// withDefaults validates c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	if c.ExportEndpoint == "" {
		return c, errors.New("e2e: Config.ExportEndpoint is required")
	}
	u, err := url.Parse(c.ExportEndpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("e2e: Config.ExportEndpoint %q must be an http(s) URL with a host", c.ExportEndpoint)
	}
	if c.TLS != nil && (c.TLS.CertFile == "" || c.TLS.KeyFile == "") {
		return c, errors.New("e2e: Config.TLS needs both CertFile and KeyFile")
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = DefaultBatchTimeout
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = 30 * time.Second
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = 15 * time.Second
	}
	return c, nil
}

// ports are the loopback ports of one collector run.
type ports struct {
	http, grpc, metrics int
}

// obj is a JSON object; the collector reads JSON as the YAML subset it is.
type obj = map[string]any

// render returns the collector configuration for c, p and the log file, as
// JSON (which is valid YAML, and quotes every path and value safely).
func (c Config) render(p ports, logPath string) ([]byte, error) {
	endpoint := func(port int) obj {
		e := obj{"endpoint": "127.0.0.1:" + strconv.Itoa(port)}
		if c.TLS != nil {
			e["tls"] = obj{"cert_file": c.TLS.CertFile, "key_file": c.TLS.KeyFile}
		}
		return e
	}
	pipeline := obj{"receivers": []string{"otlp"}, "processors": []string{"batch"}, "exporters": []string{"otlp_http"}}
	cfg := obj{
		"receivers":  obj{"otlp": obj{"protocols": obj{"http": endpoint(p.http), "grpc": endpoint(p.grpc)}}},
		"processors": obj{"batch": obj{"timeout": c.BatchTimeout.String()}},
		"exporters": obj{"otlp_http": obj{
			"endpoint": c.ExportEndpoint,
			"encoding": "proto",
		}},
		"service": obj{
			"telemetry": obj{
				"logs": obj{
					"level":              c.LogLevel,
					"encoding":           "json",
					"output_paths":       []string{logPath},
					"error_output_paths": []string{logPath},
					"sampling":           obj{"enabled": false},
				},
				"metrics": obj{
					"level": "detailed",
					"readers": []obj{{"pull": obj{"exporter": obj{"prometheus": obj{
						"host": "127.0.0.1", "port": p.metrics,
					}}}}},
				},
			},
			"pipelines": obj{"traces": pipeline, "metrics": pipeline, "logs": pipeline},
		},
	}
	return json.MarshalIndent(cfg, "", "  ")
}
