package fxotel

import (
	"time"

	"github.com/otelkit/otelkit/session"
)

// Config tunes the module. Supply it with fx.Supply(fxotel.Config{...}) or decode it from your configuration
// file (json/yaml tags); the zero value is what most services want.
type Config struct {
	// InstallGlobals makes the provider the OpenTelemetry global on start (and restores the previous globals
	// on stop), for libraries that call otel.Tracer. Off by default: nothing global is touched.
	InstallGlobals bool `json:"install_globals,omitempty" yaml:"install_globals,omitempty"`
	// RuntimeMetrics starts the Go runtime metrics (go.opentelemetry.io/contrib/instrumentation/runtime) on start.
	RuntimeMetrics bool `json:"runtime_metrics,omitempty" yaml:"runtime_metrics,omitempty"`
	// Strict makes export failures during stop fail app.Stop. By default they are logged and app.Stop succeeds.
	Strict bool `json:"strict,omitempty" yaml:"strict,omitempty"`
	// StopMargin is kept free at the end of fx's stop deadline, so that shutdown never runs past it
	// (default: a tenth of the time left, between 50ms and 1s; never less than 50ms).
	StopMargin time.Duration `json:"stop_margin,omitempty" yaml:"stop_margin,omitempty"`

	// PublicEndpoint makes the HTTP middleware and gRPC server options treat every inbound trace context as
	// untrusted: new root spans linked to the remote context, inbound baggage dropped.
	PublicEndpoint bool `json:"public_endpoint,omitempty" yaml:"public_endpoint,omitempty"`
	// TrustedPeers lists CIDR prefixes (for example your proxies) whose trace context is trusted when
	// PublicEndpoint is set.
	TrustedPeers []string `json:"trusted_peers,omitempty" yaml:"trusted_peers,omitempty"`
	// HealthPaths replaces the HTTP paths skipped by the middleware (default /healthz, /readyz, /livez).
	HealthPaths []string `json:"health_paths,omitempty" yaml:"health_paths,omitempty"`
	// SessionKeys replaces the request keys the session resolver reads (default session.DefaultKeys).
	SessionKeys *session.Keys `json:"session_keys,omitempty" yaml:"session_keys,omitempty"`
}
