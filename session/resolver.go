package session

import (
	"context"
	"net/http"
	"net/textproto"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/grpc/metadata"
)

// Keys names the request headers (HTTP), metadata keys (gRPC, lower-cased) and map keys (JSON-RPC params)
// a [Resolver] reads. An empty name is not read.
type Keys struct {
	SessionID     string `json:"session_id,omitempty" yaml:"session_id,omitempty"`
	Model         string `json:"model,omitempty" yaml:"model,omitempty"`
	Slug          string `json:"slug,omitempty" yaml:"slug,omitempty"`
	Originator    string `json:"originator,omitempty" yaml:"originator,omitempty"`
	SessionSource string `json:"session_source,omitempty" yaml:"session_source,omitempty"`
	TerminalType  string `json:"terminal_type,omitempty" yaml:"terminal_type,omitempty"`
	AppVersion    string `json:"app_version,omitempty" yaml:"app_version,omitempty"`
}

// DefaultKeys are the keys a Resolver reads unless told otherwise. Account, auth mode and prompt-logging
// consent are never taken from the client: set them with [WithEnrich] from what the server authenticated.
var DefaultKeys = Keys{
	SessionID:     "X-Session-Id",
	Model:         "X-Session-Model",
	Slug:          "X-Session-Slug",
	Originator:    "X-Session-Originator",
	SessionSource: "X-Session-Source",
	TerminalType:  "X-Session-Terminal",
	AppVersion:    "X-Session-App-Version",
}

// maxValueLen bounds every metadata value read from a request, so hostile headers cannot grow sessions.
const maxValueLen = 256

// Resolver builds the session of an incoming request from its headers, gRPC metadata or JSON-RPC params.
// httpmw and grpcmw call it for every request; handlers then use [FromContext].
//
// A request without a session id gets no session (FromContext returns nil, a no-op).
type Resolver struct {
	factory *Factory
	keys    Keys
	hdr     Keys // keys in canonical MIME form, for direct http.Header access
	md      Keys // keys lower-cased, for gRPC metadata
	enrich  func(ctx context.Context, md *Metadata)
}

// ResolverOption configures a Resolver.
type ResolverOption interface{ applyResolver(*Resolver) }

type resolverOptionFunc func(*Resolver)

func (f resolverOptionFunc) applyResolver(r *Resolver) { f(r) }

// WithKeys replaces the keys read from requests (default [DefaultKeys]).
func WithKeys(k Keys) ResolverOption { return resolverOptionFunc(func(r *Resolver) { r.keys = k }) }

// WithEnrich sets a function that completes the metadata of each resolved session from server-side
// knowledge (the authenticated account, auth mode, prompt-logging consent). It runs after the keys are read
// and only when a session id was found. The last one wins.
func WithEnrich(f func(ctx context.Context, md *Metadata)) ResolverOption {
	return resolverOptionFunc(func(r *Resolver) { r.enrich = f })
}

// NewResolver returns a Resolver creating sessions with f. A nil f gives sessions with no outputs.
func NewResolver(f *Factory, opts ...ResolverOption) *Resolver {
	if f == nil {
		f = NewFactory()
	}
	r := &Resolver{factory: f, keys: DefaultKeys}
	for _, o := range opts {
		if o != nil {
			o.applyResolver(r)
		}
	}
	r.hdr = mapKeys(r.keys, textproto.CanonicalMIMEHeaderKey)
	r.md = mapKeys(r.keys, strings.ToLower)
	return r
}

func mapKeys(k Keys, f func(string) string) Keys {
	return Keys{SessionID: f(k.SessionID), Model: f(k.Model), Slug: f(k.Slug), Originator: f(k.Originator),
		SessionSource: f(k.SessionSource), TerminalType: f(k.TerminalType), AppVersion: f(k.AppVersion)}
}

// Factory returns the factory the resolver creates sessions with.
func (r *Resolver) Factory() *Factory {
	if r == nil {
		return nil
	}
	return r.factory
}

// FromHTTP resolves the session of an HTTP request from its headers.
func (r *Resolver) FromHTTP(req *http.Request) *Telemetry {
	if r == nil || req == nil {
		return nil
	}
	h := req.Header
	return r.resolve(req.Context(), func(k string) string {
		if v := h[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}, &r.hdr)
}

// FromGRPC resolves the session of a gRPC call from its incoming metadata.
func (r *Resolver) FromGRPC(ctx context.Context) *Telemetry {
	if r == nil {
		return nil
	}
	// One key at a time: FromIncomingContext would copy all the metadata on every call, and a call without
	// a session id stops after the first lookup.
	return r.resolve(ctx, func(k string) string {
		if v := metadata.ValueFromIncomingContext(ctx, k); len(v) > 0 {
			return v[0]
		}
		return ""
	}, &r.md)
}

// FromMap resolves a session from string fields, for example JSON-RPC params decoded into a map. Keys are
// matched exactly as configured.
func (r *Resolver) FromMap(ctx context.Context, m map[string]string) *Telemetry {
	if r == nil {
		return nil
	}
	return r.resolve(ctx, func(k string) string { return m[k] }, &r.keys)
}

// FromMetadata completes md with the enrich function and returns its session (nil when md has no SessionID).
func (r *Resolver) FromMetadata(ctx context.Context, md Metadata) *Telemetry {
	if r == nil || md.SessionID == "" {
		return nil
	}
	if r.enrich != nil {
		m := md // only this copy escapes to the enrich function
		r.enrich(ctx, &m)
		md = m
	}
	return r.factory.New(md)
}

func (r *Resolver) resolve(ctx context.Context, get func(string) string, k *Keys) *Telemetry {
	read := func(key string) string {
		if key == "" {
			return ""
		}
		return clean(get(key))
	}
	md := Metadata{SessionID: read(k.SessionID)}
	if md.SessionID == "" {
		return nil
	}
	md.Model = read(k.Model)
	md.Slug = read(k.Slug)
	md.Originator = read(k.Originator)
	md.SessionSource = read(k.SessionSource)
	md.TerminalType = read(k.TerminalType)
	md.AppVersion = read(k.AppVersion)
	return r.FromMetadata(ctx, md)
}

// clean bounds a client-supplied value to maxValueLen bytes (cut at a character boundary), drops
// control and format characters (C0, DEL, C1, bidi overrides, zero-width) and invalid UTF-8, and trims
// surrounding space. A printable ASCII value costs no allocation.
func clean(v string) string {
	if len(v) > maxValueLen {
		i := maxValueLen
		for i > 0 && !utf8.RuneStart(v[i]) {
			i--
		}
		v = v[:i]
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f {
			return strings.TrimSpace(cleanSlow(v))
		}
	}
	return strings.TrimSpace(v)
}

func cleanSlow(v string) string {
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		if !(r == utf8.RuneError && size == 1) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	return b.String()
}
