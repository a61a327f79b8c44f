package loadtest_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/loadtest"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/session"
)

// benchRound is the number of requests of one measured round, per variant.
const benchRound = 2000

// serveBench serves h on a loopback http.Server until the benchmark ends, and returns its base URL and a
// keep-alive client for it.
func serveBench(b *testing.B, h http.Handler) (string, *http.Client) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = loadtest.DefaultConcurrency
	b.Cleanup(func() {
		tr.CloseIdleConnections()
		_ = srv.Close()
		<-done
	})
	return "http://" + ln.Addr().String(), &http.Client{Transport: tr}
}

// discardReceiver is a minimal OTLP/HTTP endpoint that reads and drops every export, like a collector on
// another machine: it costs this process nothing but the connection.
func discardReceiver(b *testing.B) string {
	url, _ := serveBench(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	return url
}

// BenchmarkRouteThroughput measures the requests per second of the app's route (chi, path parameter,
// small JSON answer, one session event) over real loopback HTTP with keep-alive and 16 concurrent clients,
// bare and instrumented in the same run. Instrumented is httpmw with every span sampled, the HTTP server
// metrics and a session per request, whose event goes to a log record, a span event and two metrics; all
// three signals are exported over OTLP/HTTP protobuf. Each iteration is one round of benchRound requests
// per variant, the two variants alternating which goes first; after an instrumented round the provider is
// flushed, so the round's CPU time includes exporting what it recorded. Reported, as medians over the
// rounds: bare-req/s and instrumented-req/s (wall clock, the flush excluded), ratio (instrumented / bare,
// goal ≥ 0.85), and bare-cpu-µs/req and instrumented-cpu-µs/req (process CPU time, the load generator's
// included, per request; steadier than wall time on a shared machine). ns/op, B/op and allocs/op are per
// iteration: benchRound requests of each variant.
//
// Cases: receiver=otlptest exports to the otlptest receiver in this process, which decodes everything
// on the same CPUs (the benchmark fails unless it decoded every span); receiver=discard exports to an
// endpoint that only reads the bytes, as a collector on another machine costs the app; io=1ms adds a
// 1 ms wait to the handler, standing for the database call a real route makes.
func BenchmarkRouteThroughput(b *testing.B) {
	cases := []struct {
		name     string
		otlptest bool
		wait     time.Duration
	}{
		{"receiver=otlptest", true, 0},
		{"receiver=discard", false, 0},
		{"receiver=discard/io=1ms", false, time.Millisecond},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			var endpoint string
			var col *otlptest.Server
			if bc.otlptest {
				col = otlptest.NewServer(b)
				endpoint = col.HTTPURL()
			} else {
				endpoint = discardReceiver(b)
			}
			e := otelkit.OTLP(endpoint)
			p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "bench", Traces: e, Metrics: e, Logs: e},
				otelkit.WithSampler(sdktrace.AlwaysSample()))
			if err != nil {
				b.Fatal(err)
			}
			mc, err := metrics.NewFromProvider(p)
			if err != nil {
				b.Fatal(err)
			}
			resolver := session.NewResolver(session.NewFactory(session.WithLoggerProvider(p.EventLoggerProvider()),
				session.WithMetrics(mc)))
			bareURL, bareClient := serveBench(b, (&app{wait: bc.wait}).router(nil))
			instURL, instClient := serveBench(b, (&app{wait: bc.wait}).router(httpmw.New(httpmw.WithProvider(p),
				httpmw.WithSessionResolver(resolver))))

			// round runs benchRound requests, then flushes the provider if the route is instrumented; it returns
			// the requests per second (flush excluded) and the CPU time per request (flush included).
			round := func(url string, c *http.Client, flush bool) (float64, float64) {
				cpu := processCPU()
				res, err := loadtest.Run(context.Background(), loadtest.Load{Requests: benchRound,
					Concurrency: loadtest.DefaultConcurrency, Client: c, Request: userRequest(url)})
				if err != nil || res.OK() != benchRound {
					b.Fatalf("round: %d of %d OK (%v, first error %v)", res.OK(), benchRound, err, res.FirstError)
				}
				if flush {
					if err := p.ForceFlush(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				return res.PerSecond(), float64((processCPU() - cpu).Microseconds()) / benchRound
			}
			round(bareURL, bareClient, false) // warm-up: connections, route caches, instruments
			round(instURL, instClient, true)

			var bare, inst, ratios, bareCPU, instCPU []float64
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				var rb, ri, cb, ci float64
				if i%2 == 0 {
					rb, cb = round(bareURL, bareClient, false)
					ri, ci = round(instURL, instClient, true)
				} else {
					ri, ci = round(instURL, instClient, true)
					rb, cb = round(bareURL, bareClient, false)
				}
				bare, inst, ratios = append(bare, rb), append(inst, ri), append(ratios, ri/rb)
				bareCPU, instCPU = append(bareCPU, cb), append(instCPU, ci)
			}
			b.StopTimer()

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := p.Shutdown(ctx); err != nil {
				b.Fatalf("Shutdown: %v", err)
			}
			_ = mc.Shutdown(ctx)
			st := p.Stats()
			wantSpans := uint64((b.N + 1) * benchRound)
			if st.Spans.Sent != wantSpans || st.Spans.Lost() != 0 || st.LogRecords.Lost() != 0 ||
				st.MetricPoints.Sent == 0 || st.MetricPoints.Lost() != 0 {
				b.Fatalf("spans %+v, log records %+v, metric points %+v: want all %d spans and some metric points sent, "+
					"nothing lost", st.Spans, st.LogRecords, st.MetricPoints, wantSpans)
			}
			if col != nil {
				if got, _ := serverSpans(col); uint64(len(got)) != wantSpans {
					b.Fatalf("receiver decoded %d server spans, want %d", len(got), wantSpans)
				}
			}
			b.ReportMetric(medianF(bare), "bare-req/s")
			b.ReportMetric(medianF(inst), "instrumented-req/s")
			b.ReportMetric(medianF(ratios), "ratio")
			b.ReportMetric(medianF(bareCPU), "bare-cpu-µs/req")
			b.ReportMetric(medianF(instCPU), "instrumented-cpu-µs/req")
		})
	}
}

func medianF(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
