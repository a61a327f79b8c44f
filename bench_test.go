package otelkit_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/mem"

	"github.com/otelkit/otelkit"
)

// discard is a loopback OTLP endpoint that accepts and drops everything: HTTP on one port, gRPC on another.
type discard struct {
	http     *httptest.Server
	grpc     *grpc.Server
	grpcAddr string
	requests atomic.Int64
}

type discardTraces struct {
	coltracepb.UnimplementedTraceServiceServer
	d *discard
}

func (s discardTraces) Export(context.Context, *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	s.d.requests.Add(1)
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

type discardMetrics struct {
	colmetricspb.UnimplementedMetricsServiceServer
}

func (discardMetrics) Export(context.Context, *colmetricspb.ExportMetricsServiceRequest) (*colmetricspb.ExportMetricsServiceResponse, error) {
	return &colmetricspb.ExportMetricsServiceResponse{}, nil
}

type discardLogs struct {
	collogspb.UnimplementedLogsServiceServer
}

func (discardLogs) Export(context.Context, *collogspb.ExportLogsServiceRequest) (*collogspb.ExportLogsServiceResponse, error) {
	return &collogspb.ExportLogsServiceResponse{}, nil
}

// discardCodec drops request bytes and encodes every response as an empty message.
type discardCodec struct{}

func (discardCodec) Marshal(any) (mem.BufferSlice, error) { return mem.BufferSlice{}, nil }
func (discardCodec) Unmarshal(mem.BufferSlice, any) error { return nil }
func (discardCodec) Name() string                         { return "proto" }

func newDiscard(b *testing.B) *discard {
	d := &discard{}
	d.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		d.requests.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	// Like the HTTP handler, the gRPC server only reads the bytes: a codec that does not decode, so that the
	// receiver's CPU (on the same two cores) does not weigh on one protocol more than the others.
	d.grpc = grpc.NewServer(grpc.ForceServerCodecV2(discardCodec{}))
	coltracepb.RegisterTraceServiceServer(d.grpc, discardTraces{d: d})
	colmetricspb.RegisterMetricsServiceServer(d.grpc, discardMetrics{})
	collogspb.RegisterLogsServiceServer(d.grpc, discardLogs{})
	go func() { _ = d.grpc.Serve(lis) }()
	d.grpcAddr = lis.Addr().String()
	b.Cleanup(func() {
		d.http.Close()
		d.grpc.Stop()
	})
	return d
}

var spanAttrs = []attribute.KeyValue{
	attribute.String("http.request.method", "GET"), attribute.String("http.route", "/items/{id}"),
	attribute.Int("http.response.status_code", 200), attribute.String("url.scheme", "http"),
}

// produce ends b.N spans from one goroutine, then shuts the provider down (so every span is exported), and
// reports spans per second over the whole run.
func produce(b *testing.B, tp trace.TracerProvider, shutdown func(context.Context) error) {
	tracer := tp.Tracer("bench")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		_, span := tracer.Start(ctx, "GET /items/{id}", trace.WithAttributes(spanAttrs...))
		span.End()
	}
	if err := shutdown(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "spans/s")
}

// BenchmarkSpanExport compares otelkit's pipeline with the plain SDK pipeline (BatchSpanProcessor in blocking
// mode + the SDK's OTLP exporter) on the same loopback endpoint, per protocol.
func BenchmarkSpanExport(b *testing.B) {
	d := newDiscard(b)
	sdkPipeline := func(b *testing.B, exp sdktrace.SpanExporter) {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()),
			sdktrace.WithBatcher(exp, sdktrace.WithBlocking()))
		produce(b, tp, tp.Shutdown)
	}
	ours := func(b *testing.B, e otelkit.Exporter) {
		p, err := otelkit.NewProvider(otelkit.Settings{Traces: e, Sampler: otelkit.Sampler{Name: "always_on"},
			SpanBatch: otelkit.Batch{Blocking: true}})
		if err != nil {
			b.Fatal(err)
		}
		produce(b, p.TracerProvider(), p.Shutdown)
		if st := p.Stats().Spans; st.Lost() != 0 || st.Sent != uint64(b.N) {
			b.Fatalf("stats %+v after %d spans: something was lost", st, b.N)
		}
	}
	ctx := context.Background()
	b.Run("protobuf/sdk", func(b *testing.B) {
		exp, _ := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(d.http.URL+"/v1/traces"))
		sdkPipeline(b, exp)
	})
	b.Run("protobuf/otelkit", func(b *testing.B) { ours(b, otelkit.OTLP(d.http.URL)) })
	b.Run("json/sdk", func(b *testing.B) {
		exp, _ := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(d.http.URL+"/v1/traces"),
			otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON))
		sdkPipeline(b, exp)
	})
	b.Run("json/otelkit", func(b *testing.B) { ours(b, otelkit.OTLPJSON(d.http.URL)) })
	b.Run("grpc/sdk", func(b *testing.B) {
		exp, _ := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(d.grpcAddr), otlptracegrpc.WithInsecure())
		sdkPipeline(b, exp)
	})
	b.Run("grpc/otelkit", func(b *testing.B) { ours(b, otelkit.OTLPGRPC("http://"+d.grpcAddr)) })
}

// BenchmarkShutdownPending measures Shutdown with 10k spans still queued (schedule delay of an hour, so
// Shutdown exports all of them): on loopback per protocol, and against a receiver 5 ms away with batches
// sent one at a time or four at once.
func BenchmarkShutdownPending(b *testing.B) {
	d := newDiscard(b)
	far := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(5 * time.Millisecond) // a collector one 5 ms round trip away
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(far.Close)
	for _, proto := range []struct {
		name        string
		exp         otelkit.Exporter
		concurrency int
	}{
		{"protobuf", otelkit.OTLP(d.http.URL), 0},
		{"json", otelkit.OTLPJSON(d.http.URL), 0},
		{"grpc", otelkit.OTLPGRPC("http://" + d.grpcAddr), 0},
		{"protobuf-rtt5ms/one-at-a-time", otelkit.OTLP(far.URL), 1},
		{"protobuf-rtt5ms/four-at-once", otelkit.OTLP(far.URL), 4},
	} {
		b.Run(proto.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				p, err := otelkit.NewProvider(otelkit.Settings{Traces: proto.exp,
					SpanBatch: otelkit.Batch{MaxQueueSize: 10000, ScheduleDelay: time.Hour, MaxConcurrentExports: proto.concurrency}})
				if err != nil {
					b.Fatal(err)
				}
				tracer := p.TracerProvider().Tracer("bench")
				for range 10000 {
					_, span := tracer.Start(context.Background(), "pending", trace.WithAttributes(spanAttrs...))
					span.End()
				}
				start := time.Now()
				if err := p.Shutdown(context.Background()); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				if st := p.Stats().Spans; st.Sent != 10000 {
					b.Fatalf("sent %d of 10000", st.Sent)
				}
			}
			b.ReportMetric(total.Seconds()*1000/float64(b.N), "ms/shutdown") // fractional: a loopback Shutdown takes a few ms
		})
	}
}

// BenchmarkMetricsAndLogsExport compares protobuf and JSON for metric and log exports: each iteration
// records a batch and flushes it to the loopback endpoint.
func BenchmarkMetricsAndLogsExport(b *testing.B) {
	d := newDiscard(b)
	for _, enc := range []struct {
		name string
		exp  otelkit.Exporter
	}{{"protobuf", otelkit.OTLP(d.http.URL)}, {"json", otelkit.OTLPJSON(d.http.URL)}} {
		b.Run("metrics-200-series/"+enc.name, func(b *testing.B) {
			p, err := otelkit.NewProvider(otelkit.Settings{Metrics: enc.exp})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Shutdown(context.Background())
			c, _ := p.MeterProvider().Meter("bench").Int64Counter("requests")
			opts := make([]metric.AddOption, 200)
			for i := range opts {
				opts[i] = metric.WithAttributes(attribute.String("route", "/r/"+strings.Repeat("x", i%7)), attribute.Int("i", i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for _, o := range opts {
					c.Add(context.Background(), 1, o)
				}
				if err := p.ForceFlush(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("logs-512/"+enc.name, func(b *testing.B) {
			p, err := otelkit.NewProvider(otelkit.Settings{Logs: enc.exp, LogBatch: otelkit.Batch{ScheduleDelay: time.Hour}})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Shutdown(context.Background())
			log := newSlog(p)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for i := range 512 {
					log.Info("request served", "route", "/items/{id}", "status", 200, "i", i)
				}
				if err := p.ForceFlush(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func newSlog(p *otelkit.Provider) *slog.Logger { return slog.New(p.SlogHandler("bench")) }
