package transform

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"go.uber.org/goleak"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// receiver is a loopback OTLP/HTTP receiver that hands over each request
// body it gets.
type receiver struct {
	srv    *httptest.Server
	bodies chan []byte
}

func newReceiver(t testing.TB) *receiver {
	t.Helper()
	r := &receiver{bodies: make(chan []byte, 4)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body io.Reader = req.Body
		if req.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(req.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case r.bodies <- b:
		default:
			http.Error(w, "receiver full", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	if !strings.HasPrefix(r.srv.Listener.Addr().String(), "127.0.0.1:") {
		t.Fatalf("receiver listens on %s, want loopback 127.0.0.1", r.srv.Listener.Addr())
	}
	t.Cleanup(r.srv.Close)
	return r
}

// next returns the next request body, failing the test if none arrives.
func (r *receiver) next(t testing.TB) []byte {
	t.Helper()
	select {
	case b := <-r.bodies:
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("the receiver got no request within 10s")
		return nil
	}
}

// sdkMetrics exports rm through the official otlpmetrichttp exporter and
// returns the request body the receiver got, and the exporter's error.
func sdkMetrics(t testing.TB, rm *metricdata.ResourceMetrics) ([]byte, error) {
	t.Helper()
	ctx := context.Background()
	r := newReceiver(t)
	exp, err := otlpmetrichttp.New(ctx,
		otlpmetrichttp.WithEndpointURL(r.srv.URL+"/v1/metrics"),
		otlpmetrichttp.WithHTTPClient(r.srv.Client()),
		otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false}),
	)
	if err != nil {
		t.Fatalf("otlpmetrichttp.New: %v", err)
	}
	exportErr := exp.Export(ctx, rm)
	body := r.next(t)
	if err := exp.Shutdown(ctx); err != nil {
		t.Fatalf("exporter shutdown: %v", err)
	}
	return body, exportErr
}

// sdkLogs exports records through the official otlploghttp exporter and
// returns the request body the receiver got.
func sdkLogs(t testing.TB, records []sdklog.Record) []byte {
	t.Helper()
	ctx := context.Background()
	r := newReceiver(t)
	exp, err := otlploghttp.New(ctx,
		otlploghttp.WithEndpointURL(r.srv.URL+"/v1/logs"),
		otlploghttp.WithHTTPClient(r.srv.Client()),
		otlploghttp.WithRetry(otlploghttp.RetryConfig{Enabled: false}),
	)
	if err != nil {
		t.Fatalf("otlploghttp.New: %v", err)
	}
	if err := exp.Export(ctx, records); err != nil {
		t.Fatalf("SDK log export: %v", err)
	}
	body := r.next(t)
	if err := exp.Shutdown(ctx); err != nil {
		t.Fatalf("exporter shutdown: %v", err)
	}
	return body
}

func decodeMetrics(t testing.TB, b []byte) *colmetricspb.ExportMetricsServiceRequest {
	t.Helper()
	req := new(colmetricspb.ExportMetricsServiceRequest)
	if err := proto.Unmarshal(b, req); err != nil {
		t.Fatalf("decode metrics request: %v", err)
	}
	return req
}

func decodeLogs(t testing.TB, b []byte) *collogspb.ExportLogsServiceRequest {
	t.Helper()
	req := new(collogspb.ExportLogsServiceRequest)
	if err := proto.Unmarshal(b, req); err != nil {
		t.Fatalf("decode logs request: %v", err)
	}
	return req
}

// ourMetrics converts rm with ResourceMetrics and encodes it the way an
// exporter does.
func ourMetrics(t testing.TB, rm *metricdata.ResourceMetrics) ([]byte, error) {
	t.Helper()
	out, convErr := ResourceMetrics(rm)
	b, err := proto.Marshal(&colmetricspb.ExportMetricsServiceRequest{
		ResourceMetrics: []*metricspb.ResourceMetrics{out},
	})
	if err != nil {
		t.Fatalf("encode our metrics: %v", err)
	}
	return b, convErr
}

func ourLogs(t testing.TB, records []sdklog.Record) []byte {
	t.Helper()
	b, err := proto.Marshal(&collogspb.ExportLogsServiceRequest{ResourceLogs: ResourceLogs(records)})
	if err != nil {
		t.Fatalf("encode our logs: %v", err)
	}
	return b
}

// requireEqual fails the test, showing where the two decoded requests part,
// unless they are equal.
func requireEqual(t testing.TB, sdk, ours proto.Message) {
	t.Helper()
	if proto.Equal(sdk, ours) {
		return
	}
	t.Fatalf("our request differs from the SDK exporter's:\n%s", textDiff(sdk, ours))
}

// requireSameBytes fails unless both encodings are byte for byte the same.
func requireSameBytes(t testing.TB, sdk, ours []byte) {
	t.Helper()
	if !bytes.Equal(sdk, ours) {
		t.Fatalf("encoded requests differ: SDK %d bytes, ours %d bytes", len(sdk), len(ours))
	}
}

// textDiff shows the first differing lines of the text forms of a and b.
func textDiff(a, b proto.Message) string {
	opts := prototext.MarshalOptions{Multiline: true}
	al := strings.Split(opts.Format(a), "\n")
	bl := strings.Split(opts.Format(b), "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			from := max(0, i-8)
			return "context:\n" + strings.Join(al[from:i], "\n") +
				"\nSDK : " + x + "\nours: " + y
		}
	}
	return "(text forms are equal)"
}
