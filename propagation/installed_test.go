package propagation_test

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/internal/w3c"
	"github.com/otelkit/otelkit/propagation"
)

// setGlobalPropagator makes prop the OpenTelemetry global propagator until
// the test ends. OpenTelemetry's default global forwards, for the rest of the
// process, to the first propagator set; when it is still in place, an empty
// propagator (which propagates nothing, like the unset default) is set first
// and is what cleanup puts back.
func setGlobalPropagator(t *testing.T, prop otelprop.TextMapPropagator) {
	t.Helper()
	prev := otel.GetTextMapPropagator()
	if rt := reflect.TypeOf(prev); rt != nil && rt.Kind() == reflect.Pointer &&
		rt.Elem().PkgPath() == "go.opentelemetry.io/otel/internal/global" {
		prev = otelprop.NewCompositeTextMapPropagator()
		otel.SetTextMapPropagator(prev)
	}
	otel.SetTextMapPropagator(prop)
	t.Cleanup(func() { otel.SetTextMapPropagator(prev) })
}

// outgoingTraceStates runs every helper that takes no propagator on a context
// whose span has tracestate inbound, and returns the tracestate values each
// wrote, by helper name.
func outgoingTraceStates(t *testing.T, inbound string) map[string][]string {
	t.Helper()
	ctx := remoteCtx(t, refTraceParent, inbound)
	got := map[string][]string{}

	tc, ok := propagation.FromContext(ctx)
	if !ok || tc.TraceParent != refTraceParent {
		t.Fatalf("FromContext = %+v, %v", tc, ok)
	}
	got["FromContext"] = headerValues(tc.TraceState)

	tc, ok = propagation.Capture(ctx, nil)
	if !ok || tc.TraceParent != refTraceParent {
		t.Fatalf("Capture(nil) = %+v, %v", tc, ok)
	}
	got["Capture(nil)"] = headerValues(tc.TraceState)

	h := http.Header{"Tracestate": {"stale=1"}}
	if !propagation.InjectHeader(ctx, h) {
		t.Fatal("InjectHeader = false")
	}
	got["InjectHeader"] = h.Values("tracestate")

	h = http.Header{"Tracestate": {"stale=1"}}
	if !(propagation.TraceContext{TraceParent: refTraceParent, TraceState: inbound}).InjectHeader(h) {
		t.Fatal("TraceContext.InjectHeader = false")
	}
	got["TraceContext.InjectHeader"] = h.Values("tracestate")

	bag, err := baggage.Parse("user=alice")
	if err != nil {
		t.Fatal(err)
	}
	out := propagation.InjectOutgoing(metadata.AppendToOutgoingContext(baggage.ContextWithBaggage(ctx, bag),
		"tracestate", "stale=1"), nil)
	md, _ := metadata.FromOutgoingContext(out)
	if tp := md.Get("traceparent"); !slices.Equal(tp, []string{refTraceParent}) {
		t.Errorf("InjectOutgoing(nil) traceparent = %q", tp)
	}
	if b := md.Get("baggage"); !slices.Equal(b, []string{"user=alice"}) {
		t.Errorf("InjectOutgoing(nil) baggage = %q, want [user=alice]", b)
	}
	got["InjectOutgoing(nil)"] = md.Get("tracestate")

	// Server side: extraction keeps the inbound tracestate as it is; the
	// members are added when the extracted context goes out again.
	in := metadata.NewIncomingContext(context.Background(),
		metadata.MD{"traceparent": {refTraceParent}, "tracestate": {inbound}})
	extracted := propagation.ExtractIncoming(in, nil)
	tc, ok = propagation.FromSpanContext(trace.SpanContextFromContext(extracted))
	if !ok || tc.TraceState != inbound {
		t.Errorf("ExtractIncoming(nil) = %+v, %v; want the inbound tracestate %q unchanged", tc, ok, inbound)
	}
	md, _ = metadata.FromOutgoingContext(propagation.InjectOutgoing(extracted, nil))
	got["ExtractIncoming(nil)+InjectOutgoing(nil)"] = md.Get("tracestate")
	return got
}

// headerValues returns v as header values: none when v is empty.
func headerValues(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// TestHelpersMergeInstalledTraceState checks that the helpers that take no
// propagator merge in the configured tracestate members of an otelkit
// propagator installed as the OpenTelemetry global (as
// Provider.InstallGlobals does), exactly once and first, and write the plain
// tracestate under any other global.
func TestHelpersMergeInstalledTraceState(t *testing.T) {
	providerSet, err := w3c.Propagators(nil, refMembers()) // what the provider's Propagator() is
	if err != nil {
		t.Fatal(err)
	}
	providerTC, err := w3c.Propagators([]string{"tracecontext"}, refMembers())
	if err != nil {
		t.Fatal(err)
	}
	providerNone, err := w3c.Propagators([]string{"none"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	unconfigured, err := w3c.Propagators(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromNew, err := propagation.New(propagation.WithPropagators("tracecontext", "baggage"),
		propagation.WithTraceState(refMembers()))
	if err != nil {
		t.Fatal(err)
	}
	foreign := otelprop.NewCompositeTextMapPropagator(otelprop.TraceContext{}, otelprop.Baggage{})

	// Inbound tracestates: the reference's merge example, the configured
	// member last (it must move to the front, once), and none at all.
	merging := map[string]string{
		refTraceState: refMerged,
		"other=value,example=alpha:zero;keep:yes": refMerged,
		"other=value,example=beta:x,example2=y":   "example=beta:two;alpha:one,other=value,example2=y",
		"":                                        "example=alpha:one;beta:two",
	}
	plain := map[string]string{}
	for in := range merging {
		plain[in] = in
	}

	tests := []struct {
		name   string
		global otelprop.TextMapPropagator // nil: leave the global alone
		want   map[string]string          // inbound tracestate → outgoing
	}{
		{name: "no global installed", want: plain},
		{name: "provider propagator", global: providerSet, want: merging},
		{name: "provider propagator, tracecontext only", global: providerTC, want: merging},
		{name: "Propagation from New", global: fromNew, want: merging},
		{name: "otelkit propagator without members", global: unconfigured, want: plain},
		{name: "otelkit none", global: providerNone, want: plain},
		{name: "foreign propagator", global: foreign, want: plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.global != nil {
				setGlobalPropagator(t, tt.global)
			}
			for in, want := range tt.want {
				for helper, got := range outgoingTraceStates(t, in) {
					wantValues := headerValues(want)
					if !slices.Equal(got, wantValues) {
						t.Errorf("inbound %q: %s tracestate = %q, want %q", in, helper, got, wantValues)
					}
					if len(got) == 1 && tt.global != nil && want != in {
						if n := strings.Count(","+got[0], ",example="); n != 1 || !strings.HasPrefix(got[0], "example=") {
							t.Errorf("inbound %q: %s: configured member appears %d times or not first in %q", in, helper, n, got[0])
						}
					}
				}
			}
		})
	}

	// Restoring the global restores plain behaviour at once.
	t.Run("after restore", func(t *testing.T) {
		for helper, got := range outgoingTraceStates(t, refTraceState) {
			if !slices.Equal(got, []string{refTraceState}) {
				t.Errorf("%s tracestate = %q, want [%q]", helper, got, refTraceState)
			}
		}
	})
}
