package otelkit_test

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/otlptest"
)

// A string with invalid UTF-8 must not lose its batch: protobuf refuses such strings, so the exporter
// repairs them (U+FFFD, as OTLP/JSON does) and everything else is delivered unchanged.
func TestInvalidUTF8DoesNotLoseTheBatch(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			var log errorLog
			p := newTraceProvider(t, proto.exp(srv), &log)
			tracer := p.TracerProvider().Tracer("utf8")
			_, good := tracer.Start(t.Context(), "good", trace.WithAttributes(attribute.String("ok", "fine")))
			good.End()
			_, bad := tracer.Start(t.Context(), "bad\xffname", trace.WithAttributes(
				attribute.String("bad", "x\xfe\xffy"),
				attribute.StringSlice("list", []string{"ok", "\xc3"}),
			))
			bad.End()
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatalf("ForceFlush: %v", err)
			}
			got := map[string]map[string]any{}
			for _, sp := range srv.Spans() {
				got[sp.Span.GetName()] = sp.Attrs()
			}
			if got["good"]["ok"] != "fine" {
				t.Fatalf("the valid span was not delivered intact: %v", got)
			}
			badAttrs, ok := got["bad\uFFFDname"]
			if !ok {
				t.Fatalf("the repaired span is missing: %v", got)
			}
			if badAttrs["bad"] != "x\uFFFD\uFFFDy" {
				t.Errorf("bad = %q", badAttrs["bad"])
			}
			if list, _ := badAttrs["list"].([]any); len(list) != 2 || list[1] != "\uFFFD" {
				t.Errorf("list = %v", badAttrs["list"])
			}
			if st := p.Stats().Spans; st.Delivered() != 2 || st.Lost() != 0 {
				t.Fatalf("stats = %+v", st)
			}
		})
	}
}
