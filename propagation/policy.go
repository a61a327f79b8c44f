package propagation

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/otelkit/otelkit/internal/w3c"
)

// trustMode is how a Policy decides trust.
type trustMode uint8

const (
	trustAll trustMode = iota
	trustNone
	trustPeers
)

// Policy decides whether the trace context and baggage a request carries are
// trusted. httpmw and grpcmw apply it to every inbound request.
//
//   - [TrustAll] (the zero Policy): internal services. The remote context
//     becomes the parent of the server span and inbound baggage is kept.
//   - [TrustNone]: public endpoints. The server span is a new root with a
//     link to the remote context, inbound baggage is dropped, and the
//     client's sampled flag (01 or 00) has no say in our sampling decision.
//   - [TrustPeers] / [ParseTrustedPeers]: trusted only when the direct peer
//     (the connection's address, never X-Forwarded-For) is inside one of the
//     prefixes, e.g. the load balancers in front of a service; everyone else
//     is treated as with TrustNone.
//
// A Policy is immutable and safe for concurrent use.
type Policy struct {
	mode  trustMode
	peers []netip.Prefix
}

// TrustAll returns the policy that trusts every inbound context. It is the
// zero Policy and the default.
func TrustAll() Policy { return Policy{} }

// TrustNone returns the policy for public endpoints: no inbound context is
// trusted.
func TrustNone() Policy { return Policy{mode: trustNone} }

// TrustPeers returns a policy that trusts inbound context only from peers
// inside one of the prefixes. Prefixes are normalised (host bits masked,
// IPv4-mapped IPv6 prefixes turned into IPv4); invalid prefixes are ignored.
// With no valid prefix it trusts no one.
func TrustPeers(prefixes ...netip.Prefix) Policy {
	p := Policy{mode: trustPeers, peers: make([]netip.Prefix, 0, len(prefixes))}
	for _, pfx := range prefixes {
		if pfx.IsValid() {
			p.peers = append(p.peers, normalizePrefix(pfx))
		}
	}
	return p
}

// ParseTrustedPeers returns a [TrustPeers] policy from CIDR prefixes
// ("10.0.0.0/8", "fd00::/8") or single addresses ("192.0.2.1", "::1").
// Entries are trimmed and blank ones skipped; no entries trusts no one. The
// error wraps [ErrInvalidPeer] and names the offending entry; on error the
// policy trusts no one (it is [TrustNone], never the zero Policy, which is
// [TrustAll]), so a caller that ignores the error fails closed.
func ParseTrustedPeers(cidrs []string) (Policy, error) {
	prefixes := make([]netip.Prefix, 0, len(cidrs))
	for i, raw := range cidrs {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			pfx, err := netip.ParsePrefix(s)
			if err != nil {
				return TrustNone(), fmt.Errorf("%w %d (%q): not a CIDR prefix", ErrInvalidPeer, i, raw)
			}
			prefixes = append(prefixes, pfx)
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return TrustNone(), fmt.Errorf("%w %d (%q): not an IP address or CIDR prefix", ErrInvalidPeer, i, raw)
		}
		a = a.WithZone("")
		prefixes = append(prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return TrustPeers(prefixes...), nil
}

// normalizePrefix masks host bits and unmaps IPv4-mapped IPv6 prefixes.
func normalizePrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked()
}

// Trusts reports whether inbound context from peer is trusted. Zones are
// ignored and IPv4-mapped IPv6 peers match IPv4 prefixes; the zero Addr is
// trusted only by [TrustAll].
func (p Policy) Trusts(peer netip.Addr) bool {
	switch p.mode {
	case trustAll:
		return true
	case trustNone:
		return false
	}
	if !peer.IsValid() {
		return false
	}
	a := peer.WithZone("").Unmap()
	for _, pfx := range p.peers {
		if pfx.Contains(a) {
			return true
		}
	}
	return false
}

// String describes the policy: "trust-all", "trust-none" or
// "trust-peers(10.0.0.0/8,...)".
func (p Policy) String() string {
	switch p.mode {
	case trustAll:
		return "trust-all"
	case trustNone:
		return "trust-none"
	}
	parts := make([]string, len(p.peers))
	for i, pfx := range p.peers {
		parts[i] = pfx.String()
	}
	return "trust-peers(" + strings.Join(parts, ",") + ")"
}

// Extract applies the policy to an inbound request's carrier, extracting with
// prop (nil means W3C trace context and baggage, with the inbound limits).
//
// When peer is trusted it returns prop's extraction: ctx with the remote
// parent and baggage; link is zero and linked false.
//
// Otherwise it returns ctx with no remote parent and no baggage (a remote span
// context or baggage already in ctx, say from an earlier middleware, is
// removed too), so the caller's server span is a new root whose sampling is
// decided locally. If the carrier holds a valid remote span context, it is
// returned as link, with linked true, for the caller to pass with
// trace.WithLinks. Inbound baggage is never parsed in this case.
//
// Extract never fails and never panics; invalid or over-limit input is
// treated as absent.
func (p Policy) Extract(ctx context.Context, prop propagation.TextMapPropagator, carrier propagation.TextMapCarrier, peer netip.Addr) (_ context.Context, link trace.Link, linked bool) {
	if prop == nil {
		prop = defaultPropagator
	}
	if p.Trusts(peer) {
		if carrier == nil {
			return ctx, trace.Link{}, false
		}
		return prop.Extract(ctx, carrier), trace.Link{}, false
	}
	ctx = withoutRemote(ctx)
	if pp, ok := prop.(*Propagation); ok {
		prop = pp.set() // lets w3c recognise its own propagators
	}
	sc, ok := w3c.RemoteSpanContext(ctx, prop, carrier)
	if !ok {
		return ctx, trace.Link{}, false
	}
	return ctx, trace.Link{SpanContext: sc}, true
}

// ExtractHTTP applies the policy to an HTTP server request: its headers, and
// its direct peer parsed from r.RemoteAddr. See [Policy.Extract].
func (p Policy) ExtractHTTP(r *http.Request, prop propagation.TextMapPropagator) (_ context.Context, link trace.Link, linked bool) {
	return p.Extract(r.Context(), prop, propagation.HeaderCarrier(r.Header), PeerAddr(r.RemoteAddr))
}

// ExtractGRPC applies the policy to a gRPC server call: the incoming metadata
// of ctx, and the peer address from grpc's peer.FromContext. See
// [Policy.Extract].
func (p Policy) ExtractGRPC(ctx context.Context, prop propagation.TextMapPropagator) (_ context.Context, link trace.Link, linked bool) {
	var addr netip.Addr
	if pr, ok := peer.FromContext(ctx); ok {
		addr = PeerAddrFromNet(pr.Addr)
	}
	var carrier propagation.TextMapCarrier
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		carrier = MetadataCarrier(md)
	}
	return p.Extract(ctx, prop, carrier, addr)
}

// withoutRemote removes a remote span context and any baggage from ctx.
func withoutRemote(ctx context.Context) context.Context {
	if trace.SpanContextFromContext(ctx).IsRemote() {
		ctx = trace.ContextWithSpanContext(ctx, trace.SpanContext{})
	}
	if baggage.FromContext(ctx).Len() > 0 {
		ctx = baggage.ContextWithoutBaggage(ctx)
	}
	return ctx
}
