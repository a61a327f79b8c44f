package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// fakeTB records what RequireBinary does instead of ending the test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatalf(format string, args ...any) { f.fatal = fmt.Sprintf(format, args...) }
func (f *fakeTB) Fatal(args ...any)                 { f.fatal = fmt.Sprint(args...) }
func (f *fakeTB) Skipf(format string, args ...any)  { f.skip = fmt.Sprintf(format, args...) }

func TestRequireBinaryWithoutBinary(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)

	if root, err := RepoRoot(); err != nil || root != dir {
		t.Fatalf("RepoRoot() = %q, %v; want %q", root, err, dir)
	}
	_, err := Binary()
	if !errors.Is(err, ErrNoBinary) || !strings.Contains(err.Error(), "make collector") {
		t.Fatalf("Binary() error = %v, want ErrNoBinary naming `make collector`", err)
	}

	for _, tc := range []struct {
		ci       string
		wantSkip bool
	}{{"", true}, {"false", true}, {"true", false}, {"1", false}} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			f := &fakeTB{TB: t}
			if got := RequireBinary(f); got != "" {
				t.Fatalf("RequireBinary returned %q", got)
			}
			msg := f.fatal
			if tc.wantSkip {
				msg = f.skip
			}
			if (f.skip != "") != tc.wantSkip || (f.fatal != "") == tc.wantSkip {
				t.Fatalf("skip=%q fatal=%q; want skip=%v", f.skip, f.fatal, tc.wantSkip)
			}
			if !strings.Contains(msg, "make collector") {
				t.Errorf("message %q does not say how to build the collector", msg)
			}
		})
	}
}

func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no endpoint":     {},
		"not a URL":       {ExportEndpoint: "127.0.0.1:4318"},
		"half a TLS pair": {ExportEndpoint: "http://127.0.0.1:1", TLS: &ServerTLS{CertFile: "c.pem"}},
		"Start needs Dir": {ExportEndpoint: "http://127.0.0.1:1"},
		"bad scheme":      {ExportEndpoint: "ftp://127.0.0.1:1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Start(cfg); err == nil || !strings.Contains(err.Error(), "Config.") {
				t.Fatalf("Start(%+v) error = %v, want one naming the Config field", cfg, err)
			}
		})
	}
}

// TestStartReportsCollectorFailure: a collector that cannot start (its TLS
// key file is missing) makes Start fail with the collector's own log.
func TestStartReportsCollectorFailure(t *testing.T) {
	RequireBinary(t)
	dir := t.TempDir()
	_, err := Start(Config{
		ExportEndpoint: "http://127.0.0.1:1", Dir: dir, StartTimeout: 20 * time.Second,
		TLS: &ServerTLS{CertFile: filepath.Join(dir, "missing.pem"), KeyFile: filepath.Join(dir, "missing-key.pem")},
	})
	if err == nil {
		t.Fatal("Start succeeded with missing certificate files")
	}
	if !strings.Contains(err.Error(), "exited before it was ready") || !strings.Contains(err.Error(), "missing.pem") {
		t.Fatalf("Start error does not explain the failure: %v", err)
	}
	t.Logf("Start error, as expected: %v", err)
}

// TestChecksDetectFailedExports proves that the checks TestCollector relies
// on see a failure: when the collector's downstream answers 400, its own
// metrics count failed sends and its log has an error line.
func TestChecksDetectFailedExports(t *testing.T) {
	RequireBinary(t)
	sink := otlptest.NewServer(t)
	reject := otlptest.Status(400)
	sink.SetDefault(&reject)
	col := Run(t, Config{ExportEndpoint: sink.HTTPURL(), BatchTimeout: 50 * time.Millisecond})

	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "e2e-reject", Traces: otelkit.OTLP(col.HTTPEndpoint())})
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.TracerProvider().Tracer(scopeName).Start(t.Context(), "rejected downstream")
	span.End()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v (the collector itself accepts the span)", err)
	}
	sink.WaitRequests(t, 1, 10*time.Second)

	var want []acceptance
	for _, a := range acceptances("http", sent{spans: 1}) {
		if strings.HasSuffix(a.metric, "_spans") {
			want = append(want, a)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var p2 []string
	for {
		tel, err := col.Telemetry(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := counter(tel, "otelcol_exporter_send_failed_spans", nil); v >= 1 {
			p2 = problems(tel, want)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("otelcol_exporter_send_failed_spans never counted the rejected span; seen %v", tel.Names("otelcol_exporter"))
		}
		<-tick.C
	}
	joined := strings.Join(p2, "\n")
	if !strings.Contains(joined, "otelcol_exporter_send_failed_spans") || !strings.Contains(joined, "otelcol_exporter_sent_spans") {
		t.Errorf("problems do not report the failed export: %q", p2)
	}
	if strings.Contains(joined, "otelcol_receiver_accepted_spans") {
		t.Errorf("the receiver did accept the span, yet problems say otherwise: %q", p2)
	}

	if err := col.Stop(); err != nil {
		t.Fatal(err)
	}
	entries, err := col.Log()
	if err != nil {
		t.Fatal(err)
	}
	errs := 0
	for _, e := range entries {
		if e.IsError() {
			errs++
		}
	}
	if errs == 0 {
		t.Errorf("the collector logged no error for the rejected export; log:\n%s", col.logTail())
	}
	if err := col.Stop(); err != nil {
		t.Errorf("second Stop = %v, want the first result (nil)", err)
	}
	if !col.Exited() {
		t.Error("Exited() = false after Stop")
	}
}

func TestRenderConfig(t *testing.T) {
	cfg, err := Config{ExportEndpoint: "http://127.0.0.1:9", TLS: &ServerTLS{CertFile: `/t/"c".pem`, KeyFile: "/t/k.pem"}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	b, err := cfg.render(ports{http: 1001, grpc: 1002, metrics: 1003}, "/t/log")
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"endpoint": "127.0.0.1:1001"`, `"endpoint": "127.0.0.1:1002"`, `"port": 1003`, `"host": "127.0.0.1"`,
		`"cert_file": "/t/\"c\".pem"`, `"timeout": "200ms"`, `"endpoint": "http://127.0.0.1:9"`, `"encoding": "proto"`,
		`"output_paths": [`, `"/t/log"`, `"encoding": "json"`, `"otlp_http"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("config lacks %s:\n%s", want, got)
		}
	}
}

// TestStartRetriesTakenPort: when a port picked as free is taken before the
// collector binds it, Start tries again with new ports.
func TestStartRetriesTakenPort(t *testing.T) {
	bin := RequireBinary(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	calls := 0
	pick := func() (ports, error) {
		calls++
		p, err := freePorts()
		if calls == 1 {
			p.grpc = taken.Addr().(*net.TCPAddr).Port
		}
		return p, err
	}
	cfg, err := Config{ExportEndpoint: "http://127.0.0.1:1", Dir: t.TempDir()}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	col, err := startWith(cfg, bin, pick)
	if err != nil {
		t.Fatalf("startWith: %v", err)
	}
	if err := col.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if calls != 2 {
		t.Errorf("picked ports %d times, want 2 (one retry)", calls)
	}
	if col.ports.grpc == taken.Addr().(*net.TCPAddr).Port {
		t.Error("the collector runs on the taken port")
	}
}
