package e2e

import (
	"context"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// wantLog is a log record the test emitted, as it must arrive.
type wantLog struct {
	body             any
	severity         logspb.SeverityNumber
	severityText     string
	attrs            map[string]any
	traceID, spanID  string
	eventName, scope string
}

// recordLogs emits two records through the provider's slog handler and one
// through the OTel log API, all inside ctx's span.
func recordLogs(ctx context.Context, p *otelkit.Provider) []wantLog {
	sc := trace.SpanContextFromContext(ctx)
	traceID, spanID := sc.TraceID().String(), sc.SpanID().String()

	lg := slog.New(p.SlogHandler(scopeName))
	lg.InfoContext(ctx, "order placed", "order.id", "o-1", "items", 3, "ok", true, "tricky", tricky)
	lg.ErrorContext(ctx, "payment failed", slog.Group("card", "brand", "visa"), "amount", 12.5)

	var r otellog.Record
	r.SetEventName("e2e.event")
	r.SetSeverity(otellog.SeverityWarn)
	r.SetSeverityText("WARN")
	r.SetBody(attribute.MapValue(attribute.String("what", "map body"), attribute.Int64("n", 7),
		attribute.Slice("list", attribute.StringValue("x"), attribute.BoolValue(false)), attribute.ByteSlice("raw", []byte{0, 1, 0xfe})))
	r.AddAttributes(attribute.String("e2e.key", "value"), attribute.Float64("e2e.float", -0.25))
	r.SetTimestamp(time.Now())
	p.LoggerProvider().Logger(scopeName+"/direct").Emit(ctx, r)

	return []wantLog{
		{
			body: "order placed", severity: logspb.SeverityNumber_SEVERITY_NUMBER_INFO, severityText: "INFO",
			attrs:   map[string]any{"order.id": "o-1", "items": int64(3), "ok": true, "tricky": tricky},
			traceID: traceID, spanID: spanID, scope: scopeName,
		},
		{
			body: "payment failed", severity: logspb.SeverityNumber_SEVERITY_NUMBER_ERROR, severityText: "ERROR",
			attrs:   map[string]any{"card": map[string]any{"brand": "visa"}, "amount": 12.5},
			traceID: traceID, spanID: spanID, scope: scopeName,
		},
		{
			body:     map[string]any{"what": "map body", "n": int64(7), "list": []any{"x", false}, "raw": []byte{0, 1, 0xfe}},
			severity: logspb.SeverityNumber_SEVERITY_NUMBER_WARN, severityText: "WARN",
			attrs:   map[string]any{"e2e.key": "value", "e2e.float": -0.25},
			traceID: traceID, spanID: spanID, eventName: "e2e.event", scope: scopeName + "/direct",
		},
	}
}

// checkLogs waits for the log records at sink and asserts they arrived intact.
func checkLogs(t *testing.T, sink *otlptest.Server, want []wantLog, service string) {
	got := sink.WaitLogs(t, len(want), 15*time.Second)
	if len(got) != len(want) {
		t.Fatalf("got %d log records, want %d", len(got), len(want))
	}
	for _, w := range want {
		var found *otlptest.LogRecord
		for i := range got {
			if reflect.DeepEqual(got[i].Body(), w.body) {
				found = &got[i]
				break
			}
		}
		if found == nil {
			bodies := make([]any, len(got))
			for i := range got {
				bodies[i] = got[i].Body()
			}
			t.Errorf("no log record with body %#v; bodies: %#v", w.body, bodies)
			continue
		}
		r := found.Record
		if r.GetSeverityNumber() != w.severity || r.GetSeverityText() != w.severityText {
			t.Errorf("log %v: severity %v %q, want %v %q", w.body, r.GetSeverityNumber(), r.GetSeverityText(), w.severity, w.severityText)
		}
		if a := found.Attrs(); !reflect.DeepEqual(a, w.attrs) {
			t.Errorf("log %v attributes:\n got %#v\nwant %#v", w.body, a, w.attrs)
		}
		if found.TraceID() != w.traceID || found.SpanID() != w.spanID {
			t.Errorf("log %v: trace/span %s/%s, want %s/%s", w.body, found.TraceID(), found.SpanID(), w.traceID, w.spanID)
		}
		if r.GetFlags()&0xff != uint32(trace.FlagsSampled) {
			t.Errorf("log %v: flags %#x, want the sampled trace flag", w.body, r.GetFlags())
		}
		if r.GetEventName() != w.eventName {
			t.Errorf("log %v: event name %q, want %q", w.body, r.GetEventName(), w.eventName)
		}
		if r.GetTimeUnixNano() == 0 || r.GetObservedTimeUnixNano() == 0 {
			t.Errorf("log %v: time %d observed %d, want both set", w.body, r.GetTimeUnixNano(), r.GetObservedTimeUnixNano())
		}
		if found.Scope.GetName() != w.scope {
			t.Errorf("log %v: scope %q, want %q", w.body, found.Scope.GetName(), w.scope)
		}
		if n := otlptest.ServiceName(found.Resource); n != service {
			t.Errorf("log %v: service.name %q, want %q", w.body, n, service)
		}
	}
}
