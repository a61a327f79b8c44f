package otelkit_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// dropWatcher is an error handler that passes the DropErrors it receives to a channel.
type dropWatcher struct {
	log   errorLog
	drops chan *otelkit.DropError
}

func newDropWatcher() *dropWatcher { return &dropWatcher{drops: make(chan *otelkit.DropError, 16)} }

func (w *dropWatcher) handle(err error) {
	w.log.handle(err)
	var de *otelkit.DropError
	if errors.As(err, &de) {
		w.drops <- de
	}
}

// wait returns the next DropError the handler received, failing the test if none arrives within 10s.
func (w *dropWatcher) wait(t *testing.T) *otelkit.DropError {
	t.Helper()
	select {
	case de := <-w.drops:
		return de
	case <-time.After(10 * time.Second):
		t.Fatalf("no DropError reached the error handler; it got %v", w.log.all())
		return nil
	}
}

// A full queue (the default, non-blocking mode) drops, counts the drops in Stats, and tells the error handler.
func TestFullQueueDropsAreCountedAndReported(t *testing.T) {
	srv := otlptest.NewServer(t)
	w := newDropWatcher()
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP(srv.HTTPURL()),
		SpanBatch: otelkit.Batch{MaxQueueSize: 2, MaxExportBatchSize: 2, ScheduleDelay: time.Hour}},
		otelkit.WithErrorHandler(w.handle), otelkit.WithManualStart()) // no worker yet: the queue only fills
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	for range 5 {
		oneSpan(t, p, "burst")
	}
	if st := p.Stats().Spans; st.Dropped != 3 {
		t.Fatalf("stats = %+v, want the 3 spans beyond the queue of 2 dropped", st)
	}
	if err := p.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	de := w.wait(t)
	if de.Signal != otelkit.SignalTraces || de.Count != 3 {
		t.Fatalf("error handler got %v (signal %s, count %d), want 3 dropped spans", de, de.Signal, de.Count)
	}
	if got := len(srv.Spans()); got != 2 {
		t.Fatalf("collector got %d spans, want the 2 that fitted in the queue", got)
	}
	if st := p.Stats().Spans; st.Sent != 2 || st.Dropped != 3 {
		t.Fatalf("stats = %+v, want 2 sent and 3 dropped", st)
	}
}

// Spans still undelivered when Shutdown's deadline passes reach the error handler as a DropError, besides
// being in Shutdown's result and in Stats.
func TestShutdownDeadlineDropsReachTheErrorHandler(t *testing.T) {
	srv := otlptest.NewServer(t)
	srv.SetDefault(ptr(otlptest.Stall()))
	w := newDropWatcher()
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP(srv.HTTPURL())}, otelkit.WithErrorHandler(w.handle))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		oneSpan(t, p, "stuck")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = p.Shutdown(ctx)
	var de *otelkit.DropError
	if !errors.As(err, &de) || de.Count != 3 {
		t.Fatalf("Shutdown = %v, want a DropError for 3 spans", err)
	}
	if got := w.wait(t); got.Signal != otelkit.SignalTraces || got.Count != 3 {
		t.Fatalf("error handler got %v, want 3 dropped spans", got)
	}
	if st := p.Stats().Spans; st.Dropped != 3 || st.Sent != 0 {
		t.Fatalf("stats = %+v, want 3 dropped", st)
	}
	srv.SetDefault(nil)
	srv.Release()
}

// Metric points that Shutdown's deadline leaves no time to collect (a scheduled export is still held by the
// collector) are counted as dropped and reported; they used to vanish without a trace.
func TestMetricPointsUncollectedAtTheShutdownDeadlineAreCounted(t *testing.T) {
	srv := otlptest.NewServer(t)
	srv.SetDefault(ptr(otlptest.Stall()))
	w := newDropWatcher()
	p, err := otelkit.NewProvider(otelkit.Settings{Metrics: otelkit.OTLP(srv.HTTPURL()),
		MetricExportInterval: 20 * time.Millisecond}, otelkit.WithErrorHandler(w.handle))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.MeterProvider().Meter("m").Int64Counter("requests")
	c.Add(t.Context(), 1)
	srv.WaitStalled(t, 1, 10*time.Second) // a scheduled export is in flight, held by the collector
	c.Add(t.Context(), 1)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = p.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want the deadline", err)
	}
	// The final collection (one cumulative point) never ran: it is dropped, in Stats and at the handler.
	if de := w.wait(t); de.Signal != otelkit.SignalMetrics || de.Count != 1 {
		t.Fatalf("error handler got %v (signal %s, count %d), want 1 dropped metric point", de, de.Signal, de.Count)
	}
	if st := p.Stats().MetricPoints; st.Dropped != 1 {
		t.Fatalf("stats = %+v, want 1 point dropped", st)
	}
	var de *otelkit.DropError
	if !errors.As(err, &de) || de.Signal != otelkit.SignalMetrics || de.Count < 1 {
		t.Fatalf("Shutdown = %v, want a DropError for the metric points", err)
	}
	srv.SetDefault(nil)
	srv.Release()
}

// droppedBy sums the Count of the DropErrors for sig among errs.
func droppedBy(errs []error, sig otelkit.Signal) int {
	n := 0
	for _, err := range errs {
		var de *otelkit.DropError
		if errors.As(err, &de) && de.Signal == sig {
			n += de.Count
		}
	}
	return n
}

// Every warning made before Shutdown returns has reached the error handler by then, even when the deadline
// had already passed: the handler's view and Stats agree the moment Shutdown returns. (The handler runs on
// the provider's own goroutine; Shutdown used to stop waiting for it, and for an export it aborted, at the
// deadline.) Spans and log records beyond a queue of 4 are dropped at once, the rest at the expired
// deadline; the exports Shutdown aborts are reported as drops, not as export failures.
func TestShutdownReturnsOnceTheHandlerHasEveryDrop(t *testing.T) {
	const n, queue = 10, 4
	for i := range 20 {
		log := &errorLog{}
		b := otelkit.Batch{MaxQueueSize: queue, MaxExportBatchSize: queue, ScheduleDelay: time.Hour}
		// Port 1 on loopback refuses connections: the collector is down.
		p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP("http://127.0.0.1:1"),
			Logs: otelkit.OTLP("http://127.0.0.1:1"), SpanBatch: b, LogBatch: b},
			otelkit.WithErrorHandler(log.handle))
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			oneSpan(t, p, "down")
			slog.New(p.SlogHandler("drops")).Info("down")
		}
		ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
		err = p.Shutdown(ctx)
		cancel()
		got := log.all() // read at once: nothing may still be on its way
		var de *otelkit.DropError
		if !errors.As(err, &de) {
			t.Fatalf("run %d: Shutdown = %v, want a DropError", i, err)
		}
		st := p.Stats()
		if st.Spans.Dropped != n || st.LogRecords.Dropped != n || st.UnreportedWarnings != 0 {
			t.Fatalf("run %d: stats = %+v, want all %d spans and log records dropped and every warning reported", i, st, n)
		}
		for _, err := range got {
			if errors.Is(err, context.Canceled) {
				t.Fatalf("run %d: the handler got %q: an export Shutdown aborted is a drop, not an export failure", i, err)
			}
		}
		if s, l := droppedBy(got, otelkit.SignalTraces), droppedBy(got, otelkit.SignalLogs); s != n || l != n {
			t.Fatalf("run %d: when Shutdown returned the handler knew of %d dropped spans and %d log records, want %d each",
				i, s, l, n)
		}
		// The handler learns why: the overflow when it happened, what was held (the full queue, and the batch
		// in flight if its aborted export had not returned yet) when Shutdown gave up on it.
		reasons := map[string]int{}
		for _, err := range got {
			if errors.As(err, &de) && de.Signal == otelkit.SignalTraces {
				reasons[de.Reason] += de.Count
			}
		}
		if atStop := reasons["not delivered during shutdown"]; atStop < queue ||
			reasons["queue full or not delivered"] != n-atStop || len(reasons) > 2 {
			t.Fatalf("run %d: the handler's dropped spans by reason = %v, want at least the queue of %d dropped during "+
				"shutdown and the rest as queue full", i, reasons, queue)
		}
	}
}

// Items a collector refuses for good (HTTP 400, gRPC InvalidArgument) during Shutdown's flush are failed, not
// dropped: Shutdown returns the ExportError and no DropError, as Stats counts them (each item is in exactly
// one of Stats' outcomes). Shutdown used to add a DropError for them too.
func TestShutdownReportsPermanentFailuresAsFailuresNotDrops(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.SetDefault(ptr(otlptest.Status(http.StatusBadRequest)))
			log := &errorLog{}
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: proto.exp(srv)}, otelkit.WithErrorHandler(log.handle))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				oneSpan(t, p, "refused")
			}
			err = p.Shutdown(t.Context())
			var ee *otelkit.ExportError
			if !errors.As(err, &ee) || ee.Signal != otelkit.SignalTraces {
				t.Fatalf("Shutdown = %v, want the traces ExportError", err)
			}
			var de *otelkit.DropError
			if errors.As(err, &de) {
				t.Fatalf("Shutdown = %v, want no DropError: nothing was dropped", err)
			}
			if st := p.Stats().Spans; st != (otelkit.SignalStats{Failed: 3}) {
				t.Fatalf("stats = %+v, want the 3 spans failed", st)
			}
			if n := droppedBy(log.all(), otelkit.SignalTraces); n != 0 {
				t.Fatalf("the error handler was told of %d dropped spans, want none", n)
			}
			if got := len(srv.Requests()); got != 1 {
				t.Fatalf("the collector got %d requests, want 1 (a 400 is not retried)", got)
			}
		})
	}
}
