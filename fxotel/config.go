package fxotel

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/otelkit/otelkit/internal/jsonconf"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// Config tunes the module. Supply it with fx.Supply(fxotel.Config{...}) or decode it from your configuration
// file (json/yaml tags; in JSON StopMargin may be "500ms" or nanoseconds); the zero value is what most
// services want. The module checks it when it builds the
// provider, so a bad Config fails fx.New with [ErrInvalidConfig] naming the field, whether or not anything
// asks for the middleware or the gRPC options.
type Config struct {
	// InstallGlobals makes the provider the OpenTelemetry global on start (and restores the previous globals
	// on stop), for libraries that call otel.Tracer. Off by default: nothing global is touched.
	InstallGlobals bool `json:"install_globals,omitempty" yaml:"install_globals,omitempty"`
	// RuntimeMetrics starts the Go runtime metrics (go.opentelemetry.io/contrib/instrumentation/runtime) on start.
	RuntimeMetrics bool `json:"runtime_metrics,omitempty" yaml:"runtime_metrics,omitempty"`
	// Strict makes export failures during stop fail app.Stop. By default they are logged and app.Stop succeeds.
	Strict bool `json:"strict,omitempty" yaml:"strict,omitempty"`
	// StopMargin is kept free at the end of fx's stop deadline, so that shutdown does not run past it
	// (default: a tenth of the time left, between 50ms and 1s; never less than 50ms). It is capped at half the
	// time left, so that shutdown always has time to flush: with less than 100ms left, stop may overrun fx's
	// deadline by at most 25ms rather than deliver nothing. It must not be negative.
	StopMargin time.Duration `json:"stop_margin,omitempty" yaml:"stop_margin,omitempty"`

	// PublicEndpoint makes the HTTP middleware and gRPC server options treat every inbound trace context as
	// untrusted, except from TrustedPeers: new root spans linked to the remote context, inbound baggage dropped.
	// Off (and TrustedPeers empty), every inbound context is trusted, as suits internal services.
	PublicEndpoint bool `json:"public_endpoint,omitempty" yaml:"public_endpoint,omitempty"`
	// TrustedPeers lists CIDR prefixes or addresses (for example your proxies) whose trace context is trusted;
	// the direct peer is checked, never X-Forwarded-For. A non-empty list implies PublicEndpoint: listing the
	// trusted peers means nobody else is trusted, with or without PublicEndpoint. An invalid entry fails fx.New.
	TrustedPeers []string `json:"trusted_peers,omitempty" yaml:"trusted_peers,omitempty"`
	// HealthPaths replaces the HTTP paths skipped by the middleware (default /healthz, /readyz, /livez).
	HealthPaths []string `json:"health_paths,omitempty" yaml:"health_paths,omitempty"`
	// SessionKeys replaces the request keys the session resolver reads (default session.DefaultKeys).
	SessionKeys *session.Keys `json:"session_keys,omitempty" yaml:"session_keys,omitempty"`
}

// validate checks c, naming the offending field.
func (c Config) validate() error {
	if c.StopMargin < 0 {
		return fmt.Errorf("%w: Config.StopMargin is negative (%v)", ErrInvalidConfig, c.StopMargin)
	}
	_, err := c.policy()
	return err
}

// policy is the inbound trust policy the config asks for: TrustAll by default, TrustNone for a public endpoint,
// and the trusted peers whenever there are some (they imply PublicEndpoint).
func (c Config) policy() (propagation.Policy, error) {
	if len(c.TrustedPeers) > 0 {
		p, err := propagation.ParseTrustedPeers(c.TrustedPeers)
		if err != nil {
			return p, fmt.Errorf("%w: Config.TrustedPeers: %w", ErrInvalidConfig, err)
		}
		return p, nil
	}
	if c.PublicEndpoint {
		return propagation.TrustNone(), nil
	}
	return propagation.TrustAll(), nil
}

// UnmarshalJSON implements json.Unmarshaler. StopMargin may be a Go duration string such as "500ms" or
// integer nanoseconds; a bad one is an error wrapping [ErrInvalidConfig] that names the key.
func (c *Config) UnmarshalJSON(b []byte) error {
	type plain Config
	aux := struct {
		*plain
		StopMargin *jsonconf.Duration `json:"stop_margin,omitempty"`
	}{(*plain)(c), jsonconf.Field("stop_margin", &c.StopMargin)}
	err := json.Unmarshal(b, &aux)
	var je *jsonconf.Error
	if errors.As(err, &je) {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, je)
	}
	return err
}
