package propagation

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
	"google.golang.org/grpc/metadata"
)

// MetadataCarrier adapts gRPC metadata to propagation.TextMapCarrier, in both
// directions. Keys are lower-cased as gRPC requires, Set replaces every value
// of a key, and Values exposes every value of a key, so duplicated
// traceparent entries are detected and several tracestate or baggage entries
// are combined. Use it on a metadata.MD that is not shared: Inject writes to
// it.
type MetadataCarrier metadata.MD

var (
	_ propagation.TextMapCarrier = MetadataCarrier(nil)
	_ propagation.ValuesGetter   = MetadataCarrier(nil)
)

// Get returns the first value of key, or "".
func (c MetadataCarrier) Get(key string) string {
	if v := metadata.MD(c).Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns every value of key.
func (c MetadataCarrier) Values(key string) []string { return metadata.MD(c).Get(key) }

// Set replaces the values of key with value. It does nothing on a nil
// carrier.
func (c MetadataCarrier) Set(key, value string) {
	if c != nil {
		metadata.MD(c).Set(key, value)
	}
}

// Delete removes key.
func (c MetadataCarrier) Delete(key string) { metadata.MD(c).Delete(key) }

// Keys returns the keys present.
func (c MetadataCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// InjectOutgoing returns a copy of ctx whose outgoing gRPC metadata carries
// the context of ctx as injected by prop, replacing existing entries. Other
// metadata is kept. A nil prop means W3C trace context and baggage, with the
// configured tracestate members of the installed global propagator merged in
// when that is an otelkit one (see [Capture]).
func InjectOutgoing(ctx context.Context, prop propagation.TextMapPropagator) context.Context {
	md, ok := metadata.FromOutgoingContext(ctx) // a copy
	if !ok {
		md = metadata.MD{}
	}
	if prop == nil {
		injectDefault(ctx, MetadataCarrier(md))
	} else {
		prop.Inject(ctx, MetadataCarrier(md))
	}
	return metadata.NewOutgoingContext(ctx, md)
}

// ExtractIncoming extracts the context carried in the incoming gRPC metadata
// of ctx with prop (nil means W3C trace context and baggage), trusting it.
// Configured tracestate members only shape outgoing tracestate, so a nil prop
// extracts the same whatever the global propagator is; they are merged in
// again when the extracted context is injected (see [InjectOutgoing]).
// Apply a [Policy] (see [Policy.ExtractGRPC]) for untrusted peers.
func ExtractIncoming(ctx context.Context, prop propagation.TextMapPropagator) context.Context {
	if prop == nil {
		prop = defaultPropagator
	}
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok {
		return ctx
	}
	return prop.Extract(ctx, MetadataCarrier(md))
}
