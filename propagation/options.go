package propagation

import (
	"maps"
	"os"
	"strings"
)

// EnvPropagators is the standard environment variable naming the propagators.
const EnvPropagators = "OTEL_PROPAGATORS"

// config is the configuration [New] builds from defaults, the environment and
// options, in that order.
type config struct {
	names      []string
	traceState map[string]map[string]string
}

// Option configures [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithTraceState sets the configured tracestate members (member key → field
// key → value) merged into every outgoing tracestate. [New] validates them and
// fails with an error wrapping [ErrInvalidTraceState] that names the member
// and field. The map is copied. Default: none. A later WithTraceState replaces
// an earlier one. Normally the provider's settings carry these and its
// Propagator() applies them; use this option without a provider.
func WithTraceState(members map[string]map[string]string) Option {
	cp := make(map[string]map[string]string, len(members))
	for k, fields := range members {
		cp[k] = maps.Clone(fields)
	}
	return optionFunc(func(c *config) { c.traceState = cp })
}

// WithPropagators sets the propagators by OTEL_PROPAGATORS name:
// "tracecontext", "baggage" or "none". It overrides the OTEL_PROPAGATORS
// environment variable; a later WithPropagators replaces an earlier one.
// Default: OTEL_PROPAGATORS when set, otherwise "tracecontext,baggage".
// Other names make [New] fail with an error wrapping
// [ErrUnsupportedPropagator].
func WithPropagators(names ...string) Option {
	cp := append([]string(nil), names...)
	return optionFunc(func(c *config) { c.names = cp })
}

// newConfig applies defaults, then the environment, then opts.
func newConfig(opts []Option) config {
	c := config{names: envPropagatorNames()}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// envPropagatorNames splits OTEL_PROPAGATORS; nil when unset or blank.
func envPropagatorNames() []string {
	v := strings.TrimSpace(os.Getenv(EnvPropagators))
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// envConfig configures [ContextFromEnv].
type envConfig struct {
	handle func(error)
}

// EnvOption configures [ContextFromEnv].
type EnvOption interface {
	applyEnv(*envConfig)
}

type envOptionFunc func(*envConfig)

func (f envOptionFunc) applyEnv(c *envConfig) { f(c) }

// WithErrorHandler sets the function that receives the single warning
// [ContextFromEnv] reports when TRACEPARENT or TRACESTATE is set but invalid.
// Default: otel.Handle (the global OpenTelemetry error handler). A nil handler
// is ignored.
func WithErrorHandler(handle func(error)) EnvOption {
	return envOptionFunc(func(c *envConfig) {
		if handle != nil {
			c.handle = handle
		}
	})
}
