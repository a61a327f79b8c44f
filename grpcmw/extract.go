package grpcmw

import (
	"context"
	"net/netip"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/stats"

	otkprop "github.com/otelkit/otelkit/propagation"
)

// serverPropagator is the propagator the otelgrpc server handler extracts
// with in TagRPC. It applies the inbound policy: for a trusted peer it is the
// configured propagator; for an untrusted one it keeps only the remote span
// context (no baggage) for [serverPropagator.untrusted] to turn into a new
// root with a link. It reads the incoming metadata itself, with every value
// of a key, so duplicated traceparent entries are rejected and several
// tracestate or baggage entries combined, as propagation.MetadataCarrier
// does; the carrier otelgrpc passes only exposes the first value of a key.
type serverPropagator struct {
	inner    propagation.TextMapPropagator
	policy   otkprop.Policy
	trustAll bool
}

var _ propagation.TextMapPropagator = (*serverPropagator)(nil)

// Extract implements propagation.TextMapPropagator.
func (p *serverPropagator) Extract(ctx context.Context, _ propagation.TextMapCarrier) context.Context {
	carrier := incomingCarrier{ctx: ctx}
	if p.trustAll {
		return p.inner.Extract(ctx, carrier)
	}
	ctx, link, linked := p.policy.Extract(ctx, p.inner, carrier, peerAddr(ctx))
	if linked && ctx.Value(uninstrumentedKey{}) == nil {
		// Only as a link: untrusted returns true for this RPC, so otelgrpc
		// starts the span with trace.WithNewRoot and links this context.
		// A filtered RPC gets no span, so the context would stay in the
		// handler's context as a remote parent: it gets nothing instead.
		ctx = trace.ContextWithRemoteSpanContext(ctx, link.SpanContext)
	}
	return ctx
}

// uninstrumentedKey marks the context of an RPC that the filters exclude,
// for [serverPropagator.Extract], which otelgrpc calls before it applies
// its filter.
type uninstrumentedKey struct{}

// filteringHandler is otelgrpc's server handler for a policy that does not
// trust everyone, with filters. It marks the RPCs the filters exclude before
// otelgrpc extracts their context, so that an untrusted peer's span context
// never becomes a parent in a handler's context: for instrumented RPCs the
// server span (a new root) replaces it, but filtered RPCs get no span.
type filteringHandler struct {
	stats.Handler
	instrument func(*stats.RPCTagInfo) bool
}

// TagRPC implements stats.Handler.
func (h *filteringHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	if !h.instrument(info) {
		ctx = context.WithValue(ctx, uninstrumentedKey{}, struct{}{})
	}
	return h.Handler.TagRPC(ctx, info)
}

// Inject implements propagation.TextMapPropagator (unused by servers).
func (p *serverPropagator) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	p.inner.Inject(ctx, carrier)
}

// Fields implements propagation.TextMapPropagator.
func (p *serverPropagator) Fields() []string { return p.inner.Fields() }

// untrusted is otelgrpc's public-endpoint function: true when the peer of
// the RPC is not trusted, which makes the server span a new root linked to
// the context Extract left in ctx. It decides from the same peer address and
// policy as Extract, so both always agree.
func (p *serverPropagator) untrusted(ctx context.Context, _ *stats.RPCTagInfo) bool {
	return !p.policy.Trusts(peerAddr(ctx))
}

// peerAddr is the IP address of the RPC's peer, or the zero Addr.
func peerAddr(ctx context.Context) netip.Addr {
	if pr, ok := peer.FromContext(ctx); ok {
		return otkprop.PeerAddrFromNet(pr.Addr)
	}
	return netip.Addr{}
}

// incomingCarrier reads the incoming metadata of a server context without
// copying all of it (metadata.FromIncomingContext copies every key).
type incomingCarrier struct{ ctx context.Context }

var (
	_ propagation.TextMapCarrier = incomingCarrier{}
	_ propagation.ValuesGetter   = incomingCarrier{}
)

// Get returns the first value of key, or "".
func (c incomingCarrier) Get(key string) string {
	if v := metadata.ValueFromIncomingContext(c.ctx, key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns every value of key.
func (c incomingCarrier) Values(key string) []string {
	return metadata.ValueFromIncomingContext(c.ctx, key)
}

// Set does nothing: incoming metadata is read-only.
func (incomingCarrier) Set(string, string) {}

// Keys returns the keys of the incoming metadata.
func (c incomingCarrier) Keys() []string {
	md, _ := metadata.FromIncomingContext(c.ctx)
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	return keys
}
