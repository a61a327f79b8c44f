package propagation_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/propagation"
)

func TestPolicyTrusts(t *testing.T) {
	peers, err := propagation.ParseTrustedPeers([]string{"10.0.0.0/8", " 192.0.2.7 ", "", "fd00::/8", "::ffff:172.16.0.0/108"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		policy propagation.Policy
		peer   string // "" means the zero Addr
		want   bool
	}{
		{name: "zero policy trusts all", policy: propagation.Policy{}, peer: "203.0.113.1", want: true},
		{name: "trust all, unknown peer", policy: propagation.TrustAll(), peer: "", want: true},
		{name: "trust none", policy: propagation.TrustNone(), peer: "10.0.0.1", want: false},
		{name: "peers inside prefix", policy: peers, peer: "10.1.2.3", want: true},
		{name: "peers single address", policy: peers, peer: "192.0.2.7", want: true},
		{name: "peers neighbour of single address", policy: peers, peer: "192.0.2.8", want: false},
		{name: "peers outside", policy: peers, peer: "203.0.113.1", want: false},
		{name: "peers IPv6 with zone", policy: peers, peer: "fd00::1%eth0", want: true},
		{name: "peers IPv4-mapped peer", policy: peers, peer: "::ffff:10.0.0.1", want: true},
		{name: "peers IPv4-mapped prefix", policy: peers, peer: "172.16.5.5", want: true},
		{name: "peers unknown peer", policy: peers, peer: "", want: false},
		{name: "no prefixes trusts no one", policy: propagation.TrustPeers(), peer: "10.0.0.1", want: false},
		{name: "invalid prefix ignored", policy: propagation.TrustPeers(netip.Prefix{}, netip.MustParsePrefix("10.0.0.9/8")), peer: "10.200.0.1", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var peer netip.Addr
			if tt.peer != "" {
				peer = netip.MustParseAddr(tt.peer)
			}
			if got := tt.policy.Trusts(peer); got != tt.want {
				t.Errorf("%v.Trusts(%v) = %v, want %v", tt.policy, peer, got, tt.want)
			}
		})
	}
	if got, want := peers.String(), "trust-peers(10.0.0.0/8,192.0.2.7/32,fd00::/8,172.16.0.0/12)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if propagation.TrustAll().String() != "trust-all" || propagation.TrustNone().String() != "trust-none" {
		t.Error("String of trust-all/trust-none")
	}
}

func TestParseTrustedPeersErrors(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"10.0.0.0/8", "10.0.0.0/33"}, `invalid trusted peer 1 ("10.0.0.0/33"): not a CIDR prefix`},
		{[]string{"proxy.internal"}, `invalid trusted peer 0 ("proxy.internal"): not an IP address or CIDR prefix`},
		{[]string{"fe80::/10%eth0"}, `invalid trusted peer 0`},
		{[]string{"bogus"}, `invalid trusted peer 0 ("bogus"): not an IP address or CIDR prefix`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.in, ","), func(t *testing.T) {
			p, err := propagation.ParseTrustedPeers(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, propagation.ErrInvalidPeer) {
				t.Errorf("ParseTrustedPeers error = %v, want %q wrapping ErrInvalidPeer", err, tt.want)
			}
			// On error the policy trusts no one, so a caller that ignores the error fails closed.
			if p.String() != "trust-none" {
				t.Errorf("ParseTrustedPeers policy on error = %s, want trust-none", p)
			}
			for _, peer := range []string{"10.0.0.1", "127.0.0.1", "::1"} {
				if p.Trusts(netip.MustParseAddr(peer)) {
					t.Errorf("ParseTrustedPeers policy on error trusts %s", peer)
				}
			}
		})
	}
}

// inbound returns request headers with a traceparent (sampled or not),
// tracestate and baggage.
func inbound(sampled bool) http.Header {
	flags := "00"
	if sampled {
		flags = "01"
	}
	h := http.Header{}
	h.Set("traceparent", "00-"+specTraceID+"-"+specSpanID+"-"+flags)
	h.Set("tracestate", "vendor=x")
	h.Set("baggage", "user=mallory")
	return h
}

func TestPolicyExtract(t *testing.T) {
	local, _ := baggage.New(mustMember(t, "local", "1"))
	tests := []struct {
		name       string
		policy     propagation.Policy
		peer       string
		ctx        context.Context
		header     http.Header
		wantParent bool
		wantLink   bool
	}{
		{name: "trust all: parent and baggage", policy: propagation.TrustAll(), peer: "203.0.113.1", header: inbound(true), wantParent: true},
		{name: "trust none: link, no baggage", policy: propagation.TrustNone(), peer: "10.0.0.1", header: inbound(true), wantLink: true},
		{name: "trusted proxy", policy: propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8")), peer: "10.0.0.1", header: inbound(true), wantParent: true},
		{name: "untrusted client", policy: propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8")), peer: "203.0.113.1", header: inbound(true), wantLink: true},
		{name: "trust none: no traceparent, no link", policy: propagation.TrustNone(), header: http.Header{"Baggage": {"a=1"}}},
		{name: "trust none: invalid traceparent, no link", policy: propagation.TrustNone(), header: http.Header{"Traceparent": {"00-zz"}}},
		{
			name: "trust none: remote parent and baggage already in ctx are removed", policy: propagation.TrustNone(),
			ctx:    baggage.ContextWithBaggage(remoteCtx(t, refTraceParent, ""), local),
			header: inbound(false), wantLink: true,
		},
		{name: "trust none: nil carrier", policy: propagation.TrustNone(), header: nil},
		{name: "trust all: nil carrier", policy: propagation.TrustAll(), header: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			var peer netip.Addr
			if tt.peer != "" {
				peer = netip.MustParseAddr(tt.peer)
			}
			var carrier otelprop.TextMapCarrier
			if tt.header != nil {
				carrier = otelprop.HeaderCarrier(tt.header)
			}
			got, link, linked := tt.policy.Extract(ctx, nil, carrier, peer)

			sc := trace.SpanContextFromContext(got)
			bag := baggage.FromContext(got)
			if tt.wantParent {
				if !sc.IsRemote() || sc.TraceID().String() != specTraceID {
					t.Errorf("parent = %v, want remote trace %s", sc, specTraceID)
				}
				if bag.Member("user").Value() != "mallory" {
					t.Errorf("baggage = %q, want the inbound baggage", bag.String())
				}
			} else {
				if sc.IsValid() {
					t.Errorf("parent = %v, want none", sc)
				}
				if bag.Len() != 0 {
					t.Errorf("baggage = %q, want none", bag.String())
				}
			}
			if linked != tt.wantLink {
				t.Fatalf("linked = %v, want %v", linked, tt.wantLink)
			}
			if linked {
				if !link.SpanContext.IsRemote() || link.SpanContext.TraceID().String() != specTraceID ||
					link.SpanContext.SpanID().String() != specSpanID || link.SpanContext.TraceState().String() != "vendor=x" {
					t.Errorf("link = %v", link.SpanContext)
				}
			} else if link.SpanContext.IsValid() {
				t.Errorf("link = %v without linked", link.SpanContext)
			}
		})
	}
}

func mustMember(t *testing.T, k, v string) baggage.Member {
	t.Helper()
	m, err := baggage.NewMemberRaw(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPolicyPublicSampling: on a public endpoint the client's sampled flag
// does not decide our sampling, in either direction; the server span is a new
// root linked to the remote context. On a trusted path the parent decides.
func TestPolicyPublicSampling(t *testing.T) {
	tests := []struct {
		name          string
		policy        propagation.Policy
		root          sdktrace.Sampler
		clientSampled bool
		wantSampled   bool
		wantNewTrace  bool
	}{
		{name: "public: client forces 01, we never sample", policy: propagation.TrustNone(), root: sdktrace.NeverSample(), clientSampled: true, wantSampled: false, wantNewTrace: true},
		{name: "public: client sends 00, we always sample", policy: propagation.TrustNone(), root: sdktrace.AlwaysSample(), clientSampled: false, wantSampled: true, wantNewTrace: true},
		{name: "trusted: parent 01 followed", policy: propagation.TrustAll(), root: sdktrace.NeverSample(), clientSampled: true, wantSampled: true},
		{name: "trusted: parent 00 followed", policy: propagation.TrustAll(), root: sdktrace.AlwaysSample(), clientSampled: false, wantSampled: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tracer, rec := newTracer(t, sdktrace.ParentBased(tt.root))
			ctx, link, linked := tt.policy.Extract(t.Context(), nil, otelprop.HeaderCarrier(inbound(tt.clientSampled)), netip.MustParseAddr("203.0.113.9"))
			var opts []trace.SpanStartOption
			if linked {
				opts = append(opts, trace.WithLinks(link))
			}
			_, span := tracer.Start(ctx, "GET /", opts...)
			sc := span.SpanContext()
			span.End()

			if sc.IsSampled() != tt.wantSampled {
				t.Errorf("sampled = %v, want %v", sc.IsSampled(), tt.wantSampled)
			}
			if newTrace := sc.TraceID().String() != specTraceID; newTrace != tt.wantNewTrace {
				t.Errorf("trace id %s: new trace = %v, want %v", sc.TraceID(), newTrace, tt.wantNewTrace)
			}
			if !tt.wantSampled {
				return
			}
			ended := rec.Ended()
			if len(ended) != 1 {
				t.Fatalf("%d spans recorded", len(ended))
			}
			if tt.wantNewTrace {
				if ended[0].Parent().IsValid() {
					t.Errorf("public span has parent %v", ended[0].Parent())
				}
				links := ended[0].Links()
				if len(links) != 1 || links[0].SpanContext.TraceID().String() != specTraceID {
					t.Errorf("links = %v, want one to trace %s", links, specTraceID)
				}
			}
		})
	}
}

// TestPolicyExtractHTTP runs real requests over loopback: the peer is
// 127.0.0.1, trusted or not depending on the prefixes.
func TestPolicyExtractHTTP(t *testing.T) {
	tests := []struct {
		name       string
		policy     propagation.Policy
		wantParent bool
	}{
		{name: "loopback trusted", policy: propagation.TrustPeers(netip.MustParsePrefix("127.0.0.0/8")), wantParent: true},
		{name: "loopback not in prefixes", policy: propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8"))},
		{name: "public endpoint", policy: propagation.TrustNone()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type result struct {
				parent, linked bool
				baggage        int
			}
			got := make(chan result, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, _, linked := tt.policy.ExtractHTTP(r, nil)
				got <- result{
					parent:  trace.SpanContextFromContext(ctx).IsRemote(),
					linked:  linked,
					baggage: baggage.FromContext(ctx).Len(),
				}
			}))
			defer srv.Close()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = inbound(true)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			r := <-got
			if r.parent != tt.wantParent || r.linked == tt.wantParent {
				t.Errorf("parent = %v linked = %v, want parent %v", r.parent, r.linked, tt.wantParent)
			}
			if wantBag := map[bool]int{true: 1}[tt.wantParent]; r.baggage != wantBag {
				t.Errorf("baggage members = %d, want %d", r.baggage, wantBag)
			}
		})
	}
}
