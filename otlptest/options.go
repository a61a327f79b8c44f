package otlptest

import (
	"crypto/tls"
	"fmt"
)

// DefaultMaxBodyBytes is the default limit on the size of a request body,
// before and after decompression.
const DefaultMaxBodyBytes = 32 << 20

// config holds the settings of a Server.
type config struct {
	tls          *tls.Config
	httpAddr     string
	grpcAddr     string
	lenientJSON  bool
	onExport     []func(Export)
	maxBodyBytes int64
}

// Option configures a [Server] created by [NewServer] or [Start].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// newConfig applies the defaults, then opts, then validates the result.
func newConfig(opts []Option) (config, error) {
	c := config{
		httpAddr:     "127.0.0.1:0",
		grpcAddr:     "127.0.0.1:0",
		maxBodyBytes: DefaultMaxBodyBytes,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.maxBodyBytes <= 0 {
		return c, fmt.Errorf("otlptest: WithMaxBodyBytes(%d): the limit must be positive", c.maxBodyBytes)
	}
	if t := c.tls; t != nil && len(t.Certificates) == 0 && t.GetCertificate == nil && t.GetConfigForClient == nil {
		return c, fmt.Errorf("otlptest: WithTLS: the config has no server certificate")
	}
	if c.httpAddr == "" || c.grpcAddr == "" {
		return c, fmt.Errorf("otlptest: listen addresses must not be empty")
	}
	return c, nil
}

// WithTLS serves both OTLP/HTTP (as HTTPS) and OTLP/gRPC over TLS with cfg,
// which is cloned. Set cfg.ClientAuth to [tls.RequireAndVerifyClientCert] and
// cfg.ClientCAs for mutual TLS; [Certificates] builds such configs. The
// default is plaintext; a nil cfg keeps plaintext. Scalar: the last call wins.
func WithTLS(cfg *tls.Config) Option {
	return optionFunc(func(c *config) {
		if cfg != nil {
			c.tls = cfg.Clone()
		} else {
			c.tls = nil
		}
	})
}

// WithHTTPAddr sets the address the OTLP/HTTP server listens on. The default
// is "127.0.0.1:0", a free loopback port. Scalar: the last call wins.
func WithHTTPAddr(addr string) Option {
	return optionFunc(func(c *config) { c.httpAddr = addr })
}

// WithGRPCAddr sets the address the OTLP/gRPC server listens on. The default
// is "127.0.0.1:0", a free loopback port. Scalar: the last call wins.
func WithGRPCAddr(addr string) Option {
	return optionFunc(func(c *config) { c.grpcAddr = addr })
}

// WithLenientJSON makes the OTLP/HTTP JSON decoder follow the receiver rules
// of the specification (unknown fields ignored, proto field names and enum
// names accepted) instead of the default strict mode, which rejects anything
// the specification forbids a sender to write so that encoder bugs fail tests.
// Ids must be hex in both modes.
func WithLenientJSON() Option {
	return optionFunc(func(c *config) { c.lenientJSON = true })
}

// WithOnExport registers fn to be called synchronously, before the response
// is sent, after every accepted export request of any signal and transport.
// fn receives copies it may keep. Calls for concurrent requests may run
// concurrently. List: each call adds a function; they run in order.
func WithOnExport(fn func(Export)) Option {
	return optionFunc(func(c *config) {
		if fn != nil {
			c.onExport = append(c.onExport, fn)
		}
	})
}

// WithMaxBodyBytes limits the size of a request body, both as received and
// after decompression; larger OTLP/HTTP requests get 413 and larger gRPC
// messages ResourceExhausted. The default is [DefaultMaxBodyBytes] (32 MiB);
// n must be positive. Scalar: the last call wins.
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(c *config) { c.maxBodyBytes = n })
}
