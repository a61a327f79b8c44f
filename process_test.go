package otelkit_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// mainProgram is what TestMain runs instead of the tests when OTELKIT_HELPER_MAIN=1: a plain program that builds a provider
// from the environment, records, shuts down and exits, as a CLI tool would.
func mainProgram() int {
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	p, err := otelkit.NewProvider(s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tracer := p.TracerProvider().Tracer("main")
	ctx, root := tracer.Start(context.Background(), "main-root")
	for i := range 50 {
		_, span := tracer.Start(ctx, "main-child", trace.WithAttributes(attribute.Int("i", i)))
		span.End()
	}
	slog.New(p.SlogHandler("main")).InfoContext(ctx, "main says hello")
	root.End()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestMainStyleProgram(t *testing.T) {
	for _, procs := range []int{0, 1} {
		for _, proto := range []struct{ name, protocol string }{{"http-protobuf", "http/protobuf"}, {"http-json", "http/json"}, {"grpc", "grpc"}} {
			label := "GOMAXPROCS=default"
			if procs > 0 {
				label = "GOMAXPROCS=" + strconv.Itoa(procs)
			}
			t.Run(proto.name+"/"+label, func(t *testing.T) {
				srv := otlptest.NewServer(t)
				endpoint := srv.HTTPURL()
				if proto.protocol == "grpc" {
					endpoint = srv.GRPCURL()
				}
				cmd := exec.CommandContext(t.Context(), os.Args[0])
				cmd.Env = append(os.Environ(),
					"OTELKIT_HELPER_MAIN=1",
					"OTEL_SERVICE_NAME=main-style",
					"OTEL_EXPORTER_OTLP_ENDPOINT="+endpoint,
					"OTEL_EXPORTER_OTLP_PROTOCOL="+proto.protocol,
				)
				if procs > 0 {
					cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(procs))
				}
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("child failed: %v\n%s", err, out)
				}
				spans := srv.Spans()
				if len(spans) != 51 {
					t.Fatalf("received %d spans from the child, want 51", len(spans))
				}
				for _, sp := range spans {
					if otlptest.ServiceName(sp.Resource) != "main-style" {
						t.Fatalf("service.name = %q", otlptest.ServiceName(sp.Resource))
					}
				}
				if logs := srv.Logs(); len(logs) != 1 || logs[0].Body() != "main says hello" {
					t.Fatalf("logs = %v", logs)
				}
			})
		}
	}
}

func TestShutdownFromInsideAnHTTPHandler(t *testing.T) {
	srv := otlptest.NewServer(t)
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP(srv.HTTPURL())})
	if err != nil {
		t.Fatal(err)
	}
	tracer := p.TracerProvider().Tracer("admin")
	admin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, span := tracer.Start(r.Context(), "admin-shutdown")
		span.End()
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := p.Shutdown(ctx); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer admin.Close()
	client := &http.Client{Timeout: 10 * time.Second} // a hung handler fails the test instead of hanging it
	resp, err := client.Post(admin.URL+"/admin/shutdown", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("admin endpoint answered %d", resp.StatusCode)
	}
	if got := srv.Spans(); len(got) != 1 || got[0].Span.GetName() != "admin-shutdown" {
		t.Fatalf("spans = %v", got)
	}
}
