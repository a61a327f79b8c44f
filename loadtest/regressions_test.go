package loadtest_test

// Regression tests for bugs this suite found in the root package (all fixed): secrets echoed in errors,
// slow gRPC recovery after an outage, and rejected counts larger than what was sent.

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// Fixed in the root package, headers.go validateHeaders and env.go: OTEL_EXPORTER_OTLP_HEADERS written with a colon instead of
// '=' and a base64 credential ending in '=' ("Authorization: Basic dXNlcjpwYXNz==") is split at the first
// '=', so the credential becomes part of the header name; NewProvider then refuses the name and quotes it
// (up to 64 bytes) in its error: `Traces.Headers["Authorization: Basic dXNlcjpwYXNz"]: invalid header name`.
func TestRegressionMisformattedHeaderEchoesCredential(t *testing.T) {
	const credential = "c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M"
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "Authorization: Basic "+credential+"==")
	s, err := otelkit.SettingsFromEnv()
	if err == nil {
		var p *otelkit.Provider
		if p, err = otelkit.NewProvider(s); err == nil {
			_ = p.Shutdown(t.Context())
			t.Fatal("accepted")
		}
	}
	noSecrets(t, "settings error", errorTexts(err), []string{credential})
}

// Fixed in the root package (redact.go), otlp_http.go statusMessage and otlp_grpc.go classify: the collector's error message is
// copied into ExportError.Message. A collector (or proxy) that echoes the rejected credential in its 401
// answer ("invalid credentials: Bearer sk-...") puts the configured header value into the error that
// ForceFlush returns and the error handler logs.
func TestRegressionCollectorEchoReachesErrors(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request, json bool) {
		msg := "invalid credentials: " + r.Header.Get("Authorization")
		if json {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = jsonEncode(w, map[string]string{"message": msg})
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(msg))
	}
	text := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { echo(w, r, false) }))
	defer text.Close()
	js := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { echo(w, r, true) }))
	defer js.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(gs, echoTraces{})
	go func() { _ = gs.Serve(ln) }()
	defer gs.Stop()

	grpcExp := otelkit.OTLPGRPC("http://" + ln.Addr().String())
	for name, e := range map[string]otelkit.Exporter{
		"http text body": otelkit.OTLP(text.URL), "http json body": otelkit.OTLPJSON(js.URL), "grpc status": grpcExp,
	} {
		t.Run(name, func(t *testing.T) {
			e = e.WithHeader("Authorization", "Bearer "+headerSecret)
			var errs errorLog
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: e}, otelkit.WithErrorHandler(errs.handle))
			if err != nil {
				t.Fatal(err)
			}
			_, span := p.TracerProvider().Tracer("x").Start(t.Context(), "op")
			span.End()
			flushErr := p.ForceFlush(t.Context())
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			_ = p.Shutdown(ctx)
			noSecrets(t, "error", append(errorTexts(flushErr), errorTexts(errs.all()...)...), []string{headerSecret})
		})
	}
}

// Fixed in the root package, otlp_grpc.go newGRPCUploader (bounded reconnect backoff, wait-for-ready): the gRPC client connection uses grpc-go's default reconnect
// backoff (1s growing by 1.6x up to 120s) and exports are not wait-for-ready, so once the collector comes
// back after an outage, exports keep failing fast with Unavailable until the channel's next reconnect
// attempt: measured 3.6s after a 3s outage, 7.2s after 10s, 12-17s after 30s (and up to two minutes after
// long outages). A Shutdown in that window gives up on a reachable collector and drops everything queued.
// Over HTTP (the control) the queued spans go out at once.
func TestRegressionGRPCRecoveryLagAfterOutage(t *testing.T) {
	for _, proto := range []protocol{httpProtobuf, grpcProto} {
		t.Run(proto.name, func(t *testing.T) {
			col := otlptest.NewServer(t)
			e := proto.exp(col)
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: e, SpanBatch: otelkit.Batch{ScheduleDelay: 100 * time.Millisecond}},
				otelkit.WithErrorHandler(func(error) {}))
			if err != nil {
				t.Fatal(err)
			}
			if err := col.Pause(); err != nil {
				t.Fatal(err)
			}
			for range 10 {
				_, span := p.TracerProvider().Tracer("x").Start(t.Context(), "during outage")
				span.End()
			}
			time.Sleep(4 * time.Second) // the outage: background exports keep failing (gRPC backs off meanwhile)
			if err := col.Resume(); err != nil {
				t.Fatal(err)
			}
			// Fixed, the channel reconnects within its 1s maximum backoff (+20% jitter); 3s leaves room for
			// -race on two shared cores, and is still under the 3.6s+ the default backoff took after a
			// shorter (3s) outage.
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
			defer cancel()
			err = p.Shutdown(ctx)
			if got := len(col.Spans()); got != 10 || err != nil {
				t.Fatalf("Shutdown with the collector back for 0-3s delivered %d of 10 spans: %v", got, err)
			}
		})
	}
}

// Fixed in the root package, stats.go sink.partial (capped at the items in the export): the rejected count of an OTLP partial success is added to
// Stats.Rejected as the collector reports it, without bounding it by the number of items in that export.
// A collector answering rejected_spans=5 to an export of one span gives Stats{Sent: 1, Rejected: 5} and
// Delivered() = Sent - Rejected underflows to 18446744073709551612, breaking "every item ends in exactly
// one of delivered, rejected, failed or dropped".
func TestRegressionRejectedExceedsSent(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			col := otlptest.NewServer(t)
			col.ScriptFor(otlptest.SignalTraces, otlptest.PartialSuccess(5, "more than sent"))
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: proto.exp(col)}, otelkit.WithErrorHandler(func(error) {}))
			if err != nil {
				t.Fatal(err)
			}
			_, span := p.TracerProvider().Tracer("x").Start(t.Context(), "one")
			span.End()
			if err := p.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			if st := p.Stats().Spans; st.Rejected > st.Sent || st.Delivered() > st.Sent {
				t.Fatalf("stats %+v, Delivered() = %d: rejected must not exceed the items sent", st, st.Delivered())
			}
		})
	}
}

type echoTraces struct {
	coltracepb.UnimplementedTraceServiceServer
}

func (echoTraces) Export(ctx context.Context, _ *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	return nil, status.Error(codes.Unauthenticated, "invalid credentials: "+md.Get("authorization")[0])
}

func jsonEncode(w http.ResponseWriter, v any) error { return json.NewEncoder(w).Encode(v) }
