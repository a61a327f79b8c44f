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
	// SessionID names the key of Metadata.SessionID; a request without it has no session.
	SessionID string `json:"session_id,omitempty" yaml:"session_id,omitempty"`
	// Model names the key of Metadata.Model.
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	// Slug names the key of Metadata.Slug.
	Slug string `json:"slug,omitempty" yaml:"slug,omitempty"`
	// Originator names the key of Metadata.Originator.
	Originator string `json:"originator,omitempty" yaml:"originator,omitempty"`
	// SessionSource names the key of Metadata.SessionSource.
	SessionSource string `json:"session_source,omitempty" yaml:"session_source,omitempty"`
	// TerminalType names the key of Metadata.TerminalType.
	TerminalType string `json:"terminal_type,omitempty" yaml:"terminal_type,omitempty"`
	// AppVersion names the key of Metadata.AppVersion.
	AppVersion string `json:"app_version,omitempty" yaml:"app_version,omitempty"`
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
//
// # Untrusted values
//
// What a request carries is the client's choice. Every value read is bounded to 256 bytes (cut at a
// character boundary) and cleaned of control and format characters and invalid UTF-8; logs and spans
// record it so. Metric tags must stay few, so a client-supplied model, originator, session source or app
// version becomes a tag only when it is listed with [WithAllowedTagValues]; any other value is tagged
// [TagValueOther] ("other"). Values the host sets are tagged as given (sanitised): a value the
// [WithEnrich] function changes (for example mapping the client's model alias to a known name), the
// metadata given to [Resolver.FromMetadata], and [Telemetry.WithModel]; a value the enrich function
// leaves as the client sent it stays the client's. With no allow-list and no enrichment, one client
// sending 5,000 different models makes one series, not 5,000.
type Resolver struct {
	factory *Factory
	keys    Keys
	hdr     Keys // keys in canonical MIME form, for direct http.Header access
	md      Keys // keys lower-cased, for gRPC metadata
	enrich  func(ctx context.Context, md *Metadata)
	allowed AllowedTagValues
	allow   [4]map[string]struct{} // allowed, by tag field (model, originator, session source, app version)
}

// AllowedTagValues lists, per metadata tag, the client-supplied values that may become metric tags (see
// [Resolver], § Untrusted values). Values are matched exactly, after the Resolver's cleaning. A value
// not listed is tagged [TagValueOther]; an empty list allows none.
type AllowedTagValues struct {
	// Model lists the models tagged as themselves, for example "gpt-5".
	Model []string `json:"model,omitempty" yaml:"model,omitempty"`
	// Originator lists the client programs tagged as themselves, for example "codex_vscode".
	Originator []string `json:"originator,omitempty" yaml:"originator,omitempty"`
	// SessionSource lists the session sources tagged as themselves, for example "cli" or "vscode".
	SessionSource []string `json:"session_source,omitempty" yaml:"session_source,omitempty"`
	// AppVersion lists the client versions tagged as themselves.
	AppVersion []string `json:"app_version,omitempty" yaml:"app_version,omitempty"`
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

// WithAllowedTagValues adds client-supplied values that may become metric tags as themselves; any other
// value a client sends is tagged [TagValueOther] (see [Resolver], § Untrusted values). By default no
// client value is allowed. It appends: each call adds to the lists of the previous ones.
func WithAllowedTagValues(v AllowedTagValues) ResolverOption {
	return resolverOptionFunc(func(r *Resolver) {
		r.allowed.Model = append(r.allowed.Model, v.Model...)
		r.allowed.Originator = append(r.allowed.Originator, v.Originator...)
		r.allowed.SessionSource = append(r.allowed.SessionSource, v.SessionSource...)
		r.allowed.AppVersion = append(r.allowed.AppVersion, v.AppVersion...)
	})
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
	for i, vs := range [...][]string{r.allowed.Model, r.allowed.Originator, r.allowed.SessionSource, r.allowed.AppVersion} {
		if len(vs) > 0 {
			r.allow[i] = make(map[string]struct{}, len(vs))
			for _, v := range vs {
				r.allow[i][v] = struct{}{}
			}
		}
	}
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

// FromMetadata completes md with the enrich function and returns its session (nil when md has no
// SessionID). md is the host's: its values are tagged as given (sanitised), never as [TagValueOther], and
// are not cleaned or bounded. Pass values a client chose through [Resolver.FromMap] instead.
func (r *Resolver) FromMetadata(ctx context.Context, md Metadata) *Telemetry {
	if r == nil || md.SessionID == "" {
		return nil
	}
	return r.session(ctx, md, false)
}

// session completes md with the enrich function and returns its session. When fromClient is set, md's
// tag fields are the client's: those the enrich function leaves as they are and that are not allowed are
// tagged [TagValueOther].
func (r *Resolver) session(ctx context.Context, md Metadata, fromClient bool) *Telemetry {
	client := [4]string{md.Model, md.Originator, md.SessionSource, md.AppVersion}
	if r.enrich != nil {
		m := md // only this copy escapes to the enrich function
		r.enrich(ctx, &m)
		md = m
	}
	var other tagFields
	if fromClient {
		for i, v := range [4]string{md.Model, md.Originator, md.SessionSource, md.AppVersion} {
			if v == "" || v != client[i] {
				continue // absent, or set by the host
			}
			if _, ok := r.allow[i][v]; !ok {
				other |= 1 << i
			}
		}
	}
	return r.factory.newSession(md, other)
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
	return r.session(ctx, md, true)
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
