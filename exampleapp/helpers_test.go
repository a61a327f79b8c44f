package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
	"github.com/otelkit/otelkit/otlptest"
)

// testConfig listens on free loopback ports.
var testConfig = Config{HTTPAddr: "127.0.0.1:0", GRPCAddr: "127.0.0.1:0", RPCAddr: "127.0.0.1:0"}

// testApp is the application booted under fxtest, exporting over OTLP/HTTP to a real otlptest receiver.
type testApp struct {
	app      *fxtest.App
	col      *otlptest.Server
	provider *otelkit.Provider
	servers
}

func startApp(t *testing.T) *testApp {
	t.Helper()
	ta := &testApp{col: otlptest.NewServer(t)}
	ta.app = fxtest.New(t, fx.NopLogger,
		appModule(testConfig),
		fx.Supply(otelkit.Settings{ServiceName: "exampleapp-test"}),
		fxoteltest.Receiver(ta.col, otelkit.ProtocolHTTPProtobuf),
		fx.Populate(&ta.provider),
		fx.Invoke(func(s servers) { ta.servers = s }),
	)
	ta.app.RequireStart()
	return ta
}

var traceLine = regexp.MustCompile(`(?m)^\s+trace ([0-9a-f]{32})$`)

// demo runs the scripted demo and returns the trace id of each step, in order.
func (ta *testApp) demo(t *testing.T) []string {
	t.Helper()
	var out bytes.Buffer
	if err := runDemo(t.Context(), &out, ta.API.URL(), nil); err != nil {
		t.Fatalf("runDemo: %v\n%s", err, out.String())
	}
	var ids []string
	for _, m := range traceLine.FindAllStringSubmatch(out.String(), -1) {
		ids = append(ids, m[1])
	}
	if len(ids) != len(demoSteps) {
		t.Fatalf("demo printed %d trace ids, want %d:\n%s", len(ids), len(demoSteps), out.String())
	}
	return ids
}

// do sends one request to the API and returns the status, the body and the trace id.
func (ta *testApp) do(t *testing.T, method, path, body string, header ...string) (int, string, string) {
	t.Helper()
	code, b, id, err := ta.request(t.Context(), method, path, body, header...)
	if err != nil {
		t.Fatal(err)
	}
	return code, b, id
}

// request is do for goroutines other than the test's: it returns the error.
func (ta *testApp) request(ctx context.Context, method, path, body string, header ...string) (int, string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, ta.API.URL()+path, r)
	if err != nil {
		return 0, "", "", err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get(TraceIDHeader), err
}

// spansOf returns the received spans of trace id.
func spansOf(col *otlptest.Server, id string) []otlptest.Span {
	var out []otlptest.Span
	for _, s := range col.Spans() {
		if s.TraceID() == id {
			out = append(out, s)
		}
	}
	return out
}

// only returns the one span of tr with scope, kind and name, failing the test otherwise.
func only(t *testing.T, tr []otlptest.Span, scope string, kind tracepb.Span_SpanKind, name string) otlptest.Span {
	t.Helper()
	var found []otlptest.Span
	for _, s := range tr {
		if s.Scope.GetName() == scope && s.Span.GetKind() == kind && s.Span.GetName() == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		var have []string
		for _, s := range tr {
			have = append(have, s.Scope.GetName()+" "+s.Span.GetKind().String()+" "+s.Span.GetName())
		}
		t.Fatalf("%d %s spans %q from %s, want 1; trace has %q", len(found), kind, name, scope, have)
	}
	return found[0]
}

// eventName returns the event name of a received log record.
func eventName(r otlptest.LogRecord) string {
	if n := r.Record.GetEventName(); n != "" {
		return n
	}
	v, _ := r.Attrs()["event.name"].(string)
	return v
}
