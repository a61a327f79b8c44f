package session

import "context"

type contextKey struct{}

// NewContext returns a copy of ctx carrying t. A nil t is stored as is and FromContext returns nil for it.
func NewContext(ctx context.Context, t *Telemetry) context.Context {
	return context.WithValue(ctx, contextKey{}, t)
}

// FromContext returns the session in ctx, or nil. A nil *Telemetry is a valid no-op session: every method
// can be called on it and does nothing, so handlers never need to check.
func FromContext(ctx context.Context) *Telemetry {
	t, _ := ctx.Value(contextKey{}).(*Telemetry)
	return t
}
