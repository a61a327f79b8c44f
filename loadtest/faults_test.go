package loadtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

func ptr[T any](v T) *T { return &v }

// wantStats fails t unless got has exactly the given sent, rejected, failed and dropped counts.
func wantStats(t testing.TB, what string, got otelkit.SignalStats, sent, rejected, failed, dropped uint64) {
	t.Helper()
	want := otelkit.SignalStats{Sent: sent, Rejected: rejected, Failed: failed, Dropped: dropped}
	if got != want {
		t.Fatalf("%s stats = %+v, want %+v", what, got, want)
	}
}

// The collector is unreachable from start to end: the app keeps answering, Shutdown returns by its deadline,
// and every span and log record is counted as dropped, both in Stats and in the DropErrors the error handler
// received; nothing reached the receiver.
func TestCollectorDownForTheWholeRun(t *testing.T) {
	const n = 150
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto, paused: true, spanQueue: 64, logQueue: 64,
				exportTimeout: 300 * time.Millisecond})
			s.load(t, n)
			took, err := s.stop(t, 500*time.Millisecond)
			if took > 1500*time.Millisecond {
				t.Fatalf("Shutdown took %v with a 500ms deadline", took)
			}
			var de *otelkit.DropError
			if !errors.As(err, &de) {
				t.Fatalf("Shutdown = %v, want a DropError", err)
			}
			st := s.p.Stats()
			wantStats(t, "spans", st.Spans, 0, 0, 0, n)
			wantStats(t, "log records", st.LogRecords, 0, 0, 0, n)
			if st.MetricPoints.Sent != 0 || st.MetricPoints.Lost() == 0 {
				t.Fatalf("metric points = %+v, want none sent and some lost", st.MetricPoints)
			}
			if got := s.errs.dropped(otelkit.SignalTraces); got != n {
				t.Fatalf("error handler was told of %d dropped spans, want %d", got, n)
			}
			if got := s.errs.dropped(otelkit.SignalLogs); got != n {
				t.Fatalf("error handler was told of %d dropped log records, want %d", got, n)
			}
			if reqs := s.col.Requests(); len(reqs) != 0 {
				t.Fatalf("the receiver got %d requests while down", len(reqs))
			}
		})
	}
}

// The collector is down while the app serves n requests, then comes back: exactly the queue bound of spans
// (and of log records) is delivered, the rest is dropped and counted, and the cumulative request-duration
// histogram, which is aggregated rather than queued, still counts every request.
func TestCollectorDownThenUp(t *testing.T) {
	const n, spanQ, logQ = 100, 40, 30
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto, paused: true, spanQueue: spanQ, logQueue: logQ,
				exportTimeout: time.Second})
			s.load(t, n)
			// A flush while down fails, and puts every batch back in its queue: what remains queued is exactly
			// the bound, and everything else was dropped.
			if err := s.p.ForceFlush(t.Context()); err == nil {
				t.Fatal("ForceFlush succeeded with the collector down")
			}
			st := s.p.Stats()
			wantStats(t, "spans while down", st.Spans, 0, 0, 0, n-spanQ)
			wantStats(t, "log records while down", st.LogRecords, 0, 0, 0, n-logQ)

			if err := s.col.Resume(); err != nil {
				t.Fatal(err)
			}
			// The background exports deliver the queues once the collector is back (over gRPC only when the
			// channel's reconnect backoff expires: see the report on gRPC recovery lag).
			resumed := time.Now()
			s.col.WaitSpans(t, spanQ, 8*time.Second)
			s.col.WaitLogs(t, logQ, 8*time.Second)
			t.Logf("queued spans and logs delivered %v after the collector came back", time.Since(resumed))
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown after recovery: %v", err)
			}
			st = s.p.Stats()
			wantStats(t, "spans", st.Spans, spanQ, 0, 0, n-spanQ)
			wantStats(t, "log records", st.LogRecords, logQ, 0, 0, n-logQ)
			delivered(t, s.col, spanQ, logQ, false)
			if got := s.errs.dropped(otelkit.SignalTraces); got != n-spanQ {
				t.Fatalf("error handler was told of %d dropped spans, want %d", got, n-spanQ)
			}
			hist := s.col.WaitMetrics(t, "http.server.request.duration", time.Second)
			if got := hist[len(hist)-1].HistogramCount(); got != n {
				t.Fatalf("http.server.request.duration counts %d requests, want all %d", got, n)
			}
		})
	}
}

// A collector that hangs does not slow the app down; released before the deadline it loses nothing, and
// still hanging at Shutdown it costs exactly the deadline and every item is reported dropped.
func TestStalledCollector(t *testing.T) {
	const n = 200
	t.Run("released", func(t *testing.T) {
		t.Parallel()
		s := newSystem(t, sysConfig{exportTimeout: 5 * time.Second})
		s.col.SetDefault(ptr(otlptest.Stall()))
		res := s.load(t, n)
		s.col.WaitStalled(t, 1, 5*time.Second)
		t.Logf("while stalled: p50 %v p99 %v", res.Quantile(0.5), res.Quantile(0.99))
		s.col.SetDefault(nil)
		s.col.Release()
		if _, err := s.stop(t, 10*time.Second); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		st := s.p.Stats()
		wantStats(t, "spans", st.Spans, n, 0, 0, 0)
		wantStats(t, "log records", st.LogRecords, n, 0, 0, 0)
		delivered(t, s.col, n, n, true)
	})
	t.Run("through-shutdown", func(t *testing.T) {
		t.Parallel()
		s := newSystem(t, sysConfig{exportTimeout: 5 * time.Second})
		s.col.SetDefault(ptr(otlptest.Stall()))
		s.load(t, n)
		s.col.WaitStalled(t, 1, 5*time.Second)
		took, err := s.stop(t, 300*time.Millisecond)
		if took > time.Second {
			t.Fatalf("Shutdown took %v with a 300ms deadline", took)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want it to wrap context.DeadlineExceeded", err)
		}
		var de *otelkit.DropError
		if !errors.As(err, &de) {
			t.Fatalf("Shutdown = %v, want a DropError", err)
		}
		st := s.p.Stats()
		wantStats(t, "spans", st.Spans, 0, 0, 0, n)
		wantStats(t, "log records", st.LogRecords, 0, 0, 0, n)
	})
}

// Throttling storms: the first trace, log and metric exports are answered 429 and 503, with and without
// Retry-After (RetryInfo over gRPC). Every span, log record and metric point arrives exactly once, and the
// exporter waited as long as the collector asked each time.
func TestThrottlingStorm(t *testing.T) {
	const n = 100
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto, exportTimeout: 8 * time.Second})
			s.col.ScriptFor(otlptest.SignalTraces, otlptest.Status(429).WithRetryAfter(time.Second),
				otlptest.Status(503).WithRetryAfter(time.Second), otlptest.Status(503))
			s.col.ScriptFor(otlptest.SignalLogs, otlptest.Status(503).WithRetryAfter(time.Second),
				otlptest.Status(429).WithRetryAfter(time.Second))
			s.col.ScriptFor(otlptest.SignalMetrics, otlptest.Status(429).WithRetryAfter(time.Second),
				otlptest.Status(503))
			s.load(t, n)
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			st := s.p.Stats()
			wantStats(t, "spans", st.Spans, n, 0, 0, 0)
			wantStats(t, "log records", st.LogRecords, n, 0, 0, 0)
			delivered(t, s.col, n, n, true)
			metricsDelivered(t, s, []int{n}, 2)
			var traces []otlptest.Request
			for _, r := range s.col.Requests() {
				if r.Signal == otlptest.SignalTraces {
					traces = append(traces, r)
				}
			}
			if len(traces) < 4 || traces[0].Accepted || traces[1].Accepted || traces[2].Accepted || !traces[3].Accepted {
				t.Fatalf("trace requests: %d, want three refused then accepted", len(traces))
			}
			// The lower bounds are the point (Retry-After honoured); the upper bound only catches a retry that
			// waited far longer than asked, with room for -race on two shared cores.
			for i, wantMin := range []time.Duration{900 * time.Millisecond, 900 * time.Millisecond, 0} {
				gap := traces[i+1].Time.Sub(traces[i].Time)
				if gap < wantMin || gap > 6*time.Second {
					t.Fatalf("retry %d came %v after the refusal, want at least %v (and not more than 6s)", i+1, gap, wantMin)
				}
			}
		})
	}
}

// A longer storm on metrics: six 503s in a row, each with Retry-After (RetryInfo over gRPC), while a flush
// in the middle of the run exports. The export waits out every refusal within its budget, nothing is
// counted lost, and the receiver decodes every data point Stats counts as sent: the cumulative request
// histogram counts the requests before the flush in the first accepted export, and all of them in the last.
func TestMetricsThrottlingStorm(t *testing.T) {
	const half, refusals = 50, 6
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto, exportTimeout: 15 * time.Second})
			storm := make([]otlptest.Fault, refusals)
			for i := range storm {
				storm[i] = otlptest.Status(503).WithRetryAfter(time.Second)
			}
			s.col.ScriptFor(otlptest.SignalMetrics, storm...)
			s.load(t, half)
			start := time.Now()
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			if err := s.p.ForceFlush(ctx); err != nil {
				t.Fatalf("ForceFlush through the storm: %v", err)
			}
			if took := time.Since(start); took < refusals*900*time.Millisecond {
				t.Fatalf("ForceFlush took %v through %d refusals asking for 1s each", took, refusals)
			}
			s.load(t, half)
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			metricsDelivered(t, s, []int{half, 2 * half}, refusals)
			wantStats(t, "spans", s.p.Stats().Spans, 2*half, 0, 0, 0)
		})
	}
}

// metricsDelivered fails t unless the metric exports were refused refusals times, then accepted once per
// entry of requests, the i-th accepted export's http.server.request.duration counting requests[i], and the
// data points the receiver decoded from the accepted exports are exactly those Stats counts as sent, with
// nothing lost.
func metricsDelivered(t testing.TB, s *system, requests []int, refusals int) {
	t.Helper()
	st := s.p.Stats().MetricPoints
	if st.Sent == 0 || st.Lost() != 0 {
		t.Fatalf("metric points %+v: want some sent and none lost", st)
	}
	var refused, accepted int
	for _, r := range s.col.Requests() {
		if r.Signal != otlptest.SignalMetrics {
			continue
		}
		switch {
		case r.Accepted:
			accepted++
		case accepted > 0:
			t.Fatalf("a metric export was refused after one was accepted: %s", r.Err)
		default:
			refused++
		}
	}
	if refused != refusals || accepted != len(requests) {
		t.Fatalf("%d metric exports refused and %d accepted, want %d and %d", refused, accepted, refusals, len(requests))
	}
	var points uint64
	for i, req := range s.col.MetricsRequests() {
		var count uint64
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					om := otlptest.Metric{Metric: m}
					points += uint64(om.DataPoints())
					if m.GetName() == "http.server.request.duration" {
						count += om.HistogramCount()
					}
				}
			}
		}
		if count != uint64(requests[i]) {
			t.Fatalf("accepted metric export %d: http.server.request.duration counts %d requests, want %d",
				i+1, count, requests[i])
		}
	}
	if points != st.Sent {
		t.Fatalf("receiver decoded %d metric data points, Stats counts %d sent", points, st.Sent)
	}
}

// The collector drops the connection of the first exports without answering: the exporter retries and
// every item arrives exactly once.
func TestConnectionResets(t *testing.T) {
	const n = 100
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto})
			s.col.ScriptFor(otlptest.SignalTraces, otlptest.Reset(), otlptest.Reset(), otlptest.Reset())
			s.col.ScriptFor(otlptest.SignalLogs, otlptest.Reset(), otlptest.Reset())
			s.load(t, n)
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			st := s.p.Stats()
			wantStats(t, "spans", st.Spans, n, 0, 0, 0)
			wantStats(t, "log records", st.LogRecords, n, 0, 0, 0)
			delivered(t, s.col, n, n, true)
			resets := 0
			for _, r := range s.col.Requests() {
				if !r.Accepted && r.Signal != otlptest.SignalMetrics {
					resets++
				}
			}
			if resets != 5 {
				t.Fatalf("%d exports were reset, want the 5 scripted", resets)
			}
		})
	}
}

// The collector accepts exports but reports part of them rejected (OTLP partial success) for all three
// signals: the rejected counts are in Stats and each response reached the error handler with its message.
func TestPartialSuccessUnderLoad(t *testing.T) {
	const n = 100
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{proto: proto, spanBatch: 25})
			s.col.ScriptFor(otlptest.SignalTraces, otlptest.PartialSuccess(3, "span too large"),
				otlptest.PartialSuccess(2, "attribute limit"))
			s.col.ScriptFor(otlptest.SignalLogs, otlptest.PartialSuccess(4, "log body too large"))
			s.col.ScriptFor(otlptest.SignalMetrics, otlptest.PartialSuccess(1, "bad data point"))
			s.load(t, n)
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			st := s.p.Stats()
			wantStats(t, "spans", st.Spans, n, 5, 0, 0)
			wantStats(t, "log records", st.LogRecords, n, 4, 0, 0)
			if st.MetricPoints.Rejected != 1 || st.MetricPoints.Failed != 0 || st.MetricPoints.Dropped != 0 {
				t.Fatalf("metric points = %+v, want 1 rejected", st.MetricPoints)
			}
			type report struct {
				sig otelkit.Signal
				n   int64
				msg string
			}
			var got []report
			for _, err := range s.errs.all() {
				var pe *otelkit.PartialSuccessError
				if errors.As(err, &pe) {
					got = append(got, report{pe.Signal, pe.Rejected, pe.Message})
				}
			}
			want := map[report]bool{
				{otelkit.SignalTraces, 3, "span too large"}: true, {otelkit.SignalTraces, 2, "attribute limit"}: true,
				{otelkit.SignalLogs, 4, "log body too large"}: true, {otelkit.SignalMetrics, 1, "bad data point"}: true,
			}
			if len(got) != len(want) {
				t.Fatalf("error handler got partial successes %+v, want %v", got, want)
			}
			for _, r := range got {
				if !want[r] {
					t.Fatalf("unexpected partial success %+v (all: %+v)", r, got)
				}
			}
		})
	}
}
