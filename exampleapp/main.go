package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/exampleapp/internal/console"
)

// startStopTimeout bounds fx's start and stop.
const startStopTimeout = 15 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, stop, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line flags.
type options struct {
	cfg          Config
	receiverAddr string
	demo         bool // run the demo and exit
	noDemo       bool // serve without running the demo
	fxLog        bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("exampleapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.cfg.HTTPAddr, "http-addr", DefaultHTTPAddr, "listen address of the HTTP API")
	fs.StringVar(&o.cfg.GRPCAddr, "grpc-addr", DefaultGRPCAddr, "listen address of the gRPC service")
	fs.StringVar(&o.cfg.RPCAddr, "rpc-addr", DefaultRPCAddr, "listen address of the JSON-RPC app-server endpoint (POST /rpc)")
	fs.StringVar(&o.receiverAddr, "receiver-addr", "127.0.0.1:0",
		"listen address of the embedded OTLP/HTTP receiver (used when no OTEL_* exporter is configured)")
	fs.BoolVar(&o.demo, "demo", false, "run the scripted demo, flush, print the totals and exit")
	fs.BoolVar(&o.noDemo, "no-demo", false, "serve without running the scripted demo first")
	fs.BoolVar(&o.fxLog, "fx-log", false, "print fx's own log (provides, invokes, hooks) to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: exampleapp [flags]\n\n"+
			"Serves an HTTP API, a gRPC service and a JSON-RPC endpoint instrumented by otelkit. With no OTEL_*\n"+
			"exporter configured, telemetry goes to an embedded receiver and is printed; otherwise to your\n"+
			"collector (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, ...).\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, errUsage // the flag package has printed the error and the usage
	}
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.demo && o.noDemo:
		err = errors.New("-demo and -no-demo exclude each other")
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return o, errUsage
	}
	return o, nil
}

// errUsage reports a command line that was wrong, after explaining why.
var errUsage = errors.New("usage")

// settings reads the OTEL_* environment. Without any exporter configured, emb is the embedded receiver
// and the settings point at it.
func settings(o options, stdout io.Writer) (otelkit.Settings, *embedded, error) {
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		return s, nil, err
	}
	if s.ServiceName == "" {
		s.ServiceName = "exampleapp"
	}
	if s.ServiceVersion == "" {
		s.ServiceVersion = otelkit.Version
	}
	if s.Disabled || s.Traces.Enabled() || s.Metrics.Enabled() || s.Logs.Enabled() {
		return s, nil, nil
	}
	emb, err := startEmbedded(o.receiverAddr, stdout)
	if err != nil {
		return s, nil, err
	}
	return emb.settings(s), emb, nil
}

// run is main without the process: it returns the exit code. stopSignals stops listening for signals once
// one arrived, so that a second Ctrl-C kills the process.
func run(ctx context.Context, stopSignals func(), args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	s, emb, err := settings(o, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "exampleapp:", err)
		return 1
	}
	if emb != nil {
		defer emb.Close()
	}

	var p *otelkit.Provider
	var srv servers
	fxLogger := fx.NopLogger
	if o.fxLog {
		fxLogger = fx.WithLogger(func() fxevent.Logger { return &fxevent.ConsoleLogger{W: stderr} })
	}
	warnings := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	app := fx.New(fxLogger, appModule(o.cfg), fx.Supply(s, warnings),
		fx.Populate(&p), fx.Invoke(func(s servers) { srv = s }))
	if err := app.Err(); err != nil {
		var le *listenError
		if errors.As(err, &le) {
			err = fmt.Errorf("%w; is another exampleapp running? pick free ports with -http-addr, -grpc-addr and -rpc-addr (127.0.0.1:0 is any)", le)
		}
		fmt.Fprintln(stderr, "exampleapp:", err)
		return 1
	}
	startCtx, cancel := context.WithTimeout(ctx, startStopTimeout)
	err = app.Start(startCtx)
	cancel()
	if err != nil {
		fmt.Fprintln(stderr, "exampleapp: start:", err)
		return 1
	}
	printBanner(stdout, srv, p, emb)

	code := 0
	if !o.noDemo {
		var wait func(context.Context, string) error
		if emb != nil {
			wait = emb.con.Wait
		}
		if err := runDemo(ctx, stdout, srv.API.URL(), wait); err != nil {
			fmt.Fprintln(stderr, "exampleapp:", err)
			code = 1
		}
		flushCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = p.ForceFlush(flushCtx) // the metric totals, now rather than at the next interval
		cancel()
	}
	if !o.demo && code == 0 {
		printTryIt(stdout, srv)
		<-ctx.Done()
		fmt.Fprintln(stdout, "\nstopping: draining the servers, then flushing telemetry...")
	}
	stopSignals() // from now on Ctrl-C kills at once

	before := p.Stats()
	start := time.Now()
	stopCtx, cancel := context.WithTimeout(context.Background(), startStopTimeout)
	defer cancel()
	if err := app.Stop(stopCtx); err != nil {
		fmt.Fprintln(stderr, "exampleapp: stop:", err)
		code = 1
	}
	took := time.Since(start)
	var recv *console.Counts
	if emb != nil {
		c := emb.Close() // prints the traces that arrived during shutdown
		recv = &c
	}
	after := p.Stats()
	printReport(stdout, took, before, after, recv)
	if lost := after.Spans.Lost() + after.MetricPoints.Lost() + after.LogRecords.Lost(); lost > 0 && o.demo {
		fmt.Fprintf(stderr, "exampleapp: %d spans, metric points or log records were not delivered (see the warnings above)\n", lost)
		code = 1
	}
	return code
}
