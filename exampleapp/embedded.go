package main

import (
	"io"
	"sync"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/exampleapp/internal/console"
	"github.com/otelkit/otelkit/otlptest"
)

// embedded is the loopback OTLP receiver used when no exporter is configured: a real otlptest server
// that the provider exports to over OTLP/HTTP, printing what it decodes.
type embedded struct {
	srv  *otlptest.Server
	con  *console.Console
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

// forgetEvery is how often the receiver drops what it recorded: the console has printed it already, and a
// long-running app must not grow.
const forgetEvery = 10 * time.Second

// startEmbedded starts the receiver on addr (OTLP/HTTP; its OTLP/gRPC side takes a free port).
func startEmbedded(addr string, out io.Writer) (*embedded, error) {
	con := console.New(out)
	srv, err := otlptest.Start(otlptest.WithHTTPAddr(addr), otlptest.WithOnExport(con.Export))
	if err != nil {
		con.Close()
		return nil, err
	}
	e := &embedded{srv: srv, con: con, quit: make(chan struct{}), done: make(chan struct{})}
	go e.forget()
	return e, nil
}

func (e *embedded) forget() {
	defer close(e.done)
	t := time.NewTicker(forgetEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			e.srv.Reset()
		case <-e.quit:
			return
		}
	}
}

// URL is the receiver's OTLP/HTTP base URL.
func (e *embedded) URL() string { return e.srv.HTTPURL() }

// settings points every signal at the receiver, with short batch delays (unless OTEL_BSP_SCHEDULE_DELAY,
// OTEL_BLRP_SCHEDULE_DELAY or OTEL_METRIC_EXPORT_INTERVAL say otherwise) so traces show up at once.
func (e *embedded) settings(s otelkit.Settings) otelkit.Settings {
	exp := otelkit.OTLP(e.URL())
	s.Traces, s.Metrics, s.Logs = exp, exp, exp
	if s.SpanBatch.ScheduleDelay == 0 {
		s.SpanBatch.ScheduleDelay = 100 * time.Millisecond
	}
	if s.LogBatch.ScheduleDelay == 0 {
		s.LogBatch.ScheduleDelay = 100 * time.Millisecond
	}
	if s.MetricExportInterval == 0 {
		s.MetricExportInterval = 10 * time.Second
	}
	return s
}

// Close stops the receiver, prints what the console still holds and returns what it received.
// It is idempotent.
func (e *embedded) Close() console.Counts {
	e.once.Do(func() {
		close(e.quit)
		<-e.done
		e.srv.Close()
		e.con.Close()
	})
	return e.con.Counts()
}
