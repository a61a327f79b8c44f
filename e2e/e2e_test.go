package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// protocol is one way our exporter talks to the collector.
type protocol struct {
	name      string
	exporter  func(endpoint string) otelkit.Exporter
	grpc      bool
	transport string // the collector's receiver "transport" label
}

var protocols = []protocol{
	{name: "http-protobuf", exporter: otelkit.OTLP, transport: "http"},
	{name: "http-json", exporter: otelkit.OTLPJSON, transport: "http"},
	{name: "grpc", exporter: otelkit.OTLPGRPC, grpc: true, transport: "grpc"},
}

// TestCollector sends traces, metrics and logs through a real collector for
// every protocol, with and without TLS on the collector's receiver, and
// checks what reaches otlptest on the far side and what the collector says
// about it. The TLS variants also gzip the bodies. Each protocol/TLS pair
// has its own collector; the pairs run in parallel.
func TestCollector(t *testing.T) {
	RequireBinary(t)
	for _, proto := range protocols {
		for _, secure := range []bool{false, true} {
			name := proto.name + "/plaintext"
			if secure {
				name = proto.name + "/tls+gzip"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				testPipeline(t, proto, secure)
			})
		}
	}
}

func testPipeline(t *testing.T, proto protocol, secure bool) {
	sink := otlptest.NewServer(t)
	cfg := Config{ExportEndpoint: sink.HTTPURL()}
	var certs *otlptest.Certificates
	if secure {
		certs = otlptest.NewCertificates(t)
		cfg.TLS = &ServerTLS{CertFile: certs.ServerCertFile, KeyFile: certs.ServerKeyFile}
	}
	col := Run(t, cfg)

	endpoint := col.HTTPEndpoint()
	if proto.grpc {
		endpoint = col.GRPCEndpoint()
	}
	exporter := func() otelkit.Exporter {
		e := proto.exporter(endpoint)
		e.Retry.Disabled = true // a refused export must fail the test, not be retried into success
		if secure {
			e.TLS.CAFile = certs.CAFile
			e.Compression = otelkit.CompressionGzip
		}
		return e
	}
	service := "otelkit-e2e-" + proto.name
	var mu sync.Mutex
	var handled []error
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: service, ServiceVersion: "1.2.3",
		ResourceAttributes:   map[string]string{"e2e.tls": map[bool]string{false: "false", true: "true"}[secure]},
		Traces:               exporter(),
		Metrics:              exporter(),
		Logs:                 exporter(),
		MetricExportInterval: time.Hour, // one export, at Shutdown
	}, otelkit.WithErrorHandler(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		handled = append(handled, err)
	}))
	if err != nil {
		t.Fatalf("NewProvider: %v", err)
	}

	ctx := t.Context()
	spans, spanCtx := recordTraces(ctx, p.TracerProvider())
	if err := recordMetrics(ctx, p.MeterProvider()); err != nil {
		t.Fatalf("record metrics: %v", err)
	}
	logs := recordLogs(spanCtx, p)

	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := p.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	mu.Lock()
	for _, err := range handled {
		t.Errorf("otelkit reported: %v", err)
	}
	mu.Unlock()
	st := p.Stats()
	for _, s := range []struct {
		signal string
		got    otelkit.SignalStats
		want   uint64
	}{{"spans", st.Spans, uint64(len(spans))}, {"metric points", st.MetricPoints, metricPoints}, {"log records", st.LogRecords, uint64(len(logs))}} {
		if s.got.Sent != s.want || s.got.Lost() != 0 {
			t.Errorf("Stats %s: %+v, want %d sent and nothing lost", s.signal, s.got, s.want)
		}
	}

	t.Run("traces", func(t *testing.T) { checkTraces(t, sink, spans, service) })
	t.Run("metrics", func(t *testing.T) { checkMetrics(t, sink, service) })
	t.Run("logs", func(t *testing.T) { checkLogs(t, sink, logs, service) })
	t.Run("collector-metrics", func(t *testing.T) {
		checkAcceptance(t, col, proto.transport, sent{uint64(len(spans)), metricPoints, uint64(len(logs))})
	})
	if err := col.Stop(); err != nil {
		t.Errorf("stop the collector: %v", err)
	}
	t.Run("collector-log", func(t *testing.T) { checkCollectorLog(t, col) })
}
