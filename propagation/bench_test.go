package propagation_test

import (
	"context"
	"net/http"
	"net/netip"
	"testing"

	otelprop "go.opentelemetry.io/otel/propagation"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/propagation"
)

const benchTraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"

// benchCarriers returns inbound and outbound carriers of one kind, and a
// reset for the outbound one.
func benchCarriers(kind string, withBaggage bool) (in, out otelprop.TextMapCarrier, reset func()) {
	switch kind {
	case "header":
		h := http.Header{"Traceparent": {specTP}, "Tracestate": {benchTraceState}}
		if withBaggage {
			h["Baggage"] = []string{"user=alice,tenant=acme"}
		}
		o := http.Header{}
		return otelprop.HeaderCarrier(h), otelprop.HeaderCarrier(o), func() { clear(o) }
	default:
		md := metadata.MD{"traceparent": {specTP}, "tracestate": {benchTraceState}}
		if withBaggage {
			md["baggage"] = []string{"user=alice,tenant=acme"}
		}
		o := metadata.MD{}
		return propagation.MetadataCarrier(md), propagation.MetadataCarrier(o), func() { clear(o) }
	}
}

// BenchmarkExtractInject is the per-request propagation work of a server that
// calls a downstream service: extract from the inbound request, inject into
// the outbound one. "sdk" is the OpenTelemetry SDK's propagators, "ours" this
// package's, both over the same carriers.
func BenchmarkExtractInject(b *testing.B) {
	ours, err := propagation.New(propagation.WithPropagators("tracecontext"))
	if err != nil {
		b.Fatal(err)
	}
	oursConf, err := propagation.New(propagation.WithPropagators("tracecontext"), propagation.WithTraceState(refMembers()))
	if err != nil {
		b.Fatal(err)
	}
	oursAll, err := propagation.New()
	if err != nil {
		b.Fatal(err)
	}
	sdkAll := otelprop.NewCompositeTextMapPropagator(otelprop.TraceContext{}, otelprop.Baggage{})
	for _, bc := range []struct {
		name    string
		prop    otelprop.TextMapPropagator
		baggage bool
	}{
		{"tracecontext/sdk", otelprop.TraceContext{}, false},
		{"tracecontext/ours", ours, false},
		{"tracecontext/ours+configured", oursConf, false},
		{"tracecontext+baggage/sdk", sdkAll, true},
		{"tracecontext+baggage/ours", oursAll, true},
	} {
		for _, kind := range []string{"header", "metadata"} {
			b.Run(bc.name+"/"+kind, func(b *testing.B) {
				in, out, reset := benchCarriers(kind, bc.baggage)
				b.ReportAllocs()
				for b.Loop() {
					ctx := bc.prop.Extract(context.Background(), in)
					reset()
					bc.prop.Inject(ctx, out)
				}
				if out.Get("traceparent") != specTP {
					b.Fatalf("traceparent = %q", out.Get("traceparent"))
				}
			})
		}
	}
}

// BenchmarkPolicyExtract is the inbound side under each trust policy.
func BenchmarkPolicyExtract(b *testing.B) {
	peer := netip.MustParseAddr("203.0.113.1")
	for _, bc := range []struct {
		name   string
		policy propagation.Policy
	}{
		{"trust-all", propagation.TrustAll()},
		{"trust-none", propagation.TrustNone()},
		{"trust-peers-miss", propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8"))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			in, _, _ := benchCarriers("header", true)
			b.ReportAllocs()
			for b.Loop() {
				bc.policy.Extract(context.Background(), nil, in, peer)
			}
		})
	}
}

func BenchmarkCapture(b *testing.B) {
	ctx := remoteCtx(b, specTP, benchTraceState)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := propagation.FromContext(ctx); !ok {
			b.Fatal("no context")
		}
	}
}
