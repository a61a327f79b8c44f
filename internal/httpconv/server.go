package httpconv

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Attributes that never change, built once.
var (
	schemeHTTP  = semconv.URLScheme("http")
	schemeHTTPS = semconv.URLScheme("https")
)

// SchemeAttr returns the url.scheme attribute for http or https.
func SchemeAttr(https bool) attribute.KeyValue {
	if https {
		return schemeHTTPS
	}
	return schemeHTTP
}

// ServerRequest is what an HTTP server span and its metrics are described by, read from a request once.
// Every string is a substring of the request's own fields, so reading it never allocates (except for an
// unusual protocol name, see [Protocol]).
type ServerRequest struct {
	Method         Method
	MethodOriginal string // the method as received, when it differs from Method.String(); else ""
	Host           string // server.address
	Port           int    // server.port when it must be recorded, else -1
	HTTPS          bool
	PeerAddr       string // network.peer.address
	PeerPort       int    // network.peer.port, or -1
	UserAgent      string
	ClientAddr     string // client.address
	Path           string
	ProtoName      string
	ProtoVersion   string
	Route          string // http.route when known at the start (Request.Pattern set by an enclosing ServeMux)
}

// ReadServerRequest fills s from r as otelhttp v0.72 does. serverName, when set, replaces the Host header
// as server.address (its port, if any, wins too). When trustForwarded is false, client.address is the
// peer address even if the request carries X-Forwarded-For (set it from the inbound trust policy).
func ReadServerRequest(s *ServerRequest, serverName string, r *http.Request, trustForwarded bool) {
	var p int
	if serverName == "" {
		s.Host, p = SplitHostPort(r.Host)
	} else {
		s.Host, p = SplitHostPort(serverName)
		if p < 0 {
			_, p = SplitHostPort(r.Host)
		}
	}
	s.HTTPS = r.TLS != nil
	s.Port = RequiredPort(s.HTTPS, p)
	var exact bool
	s.Method, exact = ParseMethod(r.Method)
	s.MethodOriginal = ""
	if !exact && r.Method != "" {
		s.MethodOriginal = r.Method
	}
	s.PeerAddr, s.PeerPort = SplitHostPort(r.RemoteAddr)
	s.UserAgent = first(r.Header["User-Agent"])
	s.ClientAddr = ""
	if trustForwarded {
		s.ClientAddr = ForwardedClient(first(r.Header["X-Forwarded-For"]))
	}
	if s.ClientAddr == "" {
		s.ClientAddr = s.PeerAddr
	}
	s.Path = ""
	if r.URL != nil {
		s.Path = r.URL.Path
	}
	s.ProtoName, s.ProtoVersion = Protocol(r.Proto)
	s.Route = MuxRoute(r.Pattern)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// MaxServerSpanAttrs bounds the attributes [ServerRequest.AppendSpanAttrs] appends.
const MaxServerSpanAttrs = 13

// MaxServerStartAttrs and MaxServerLateAttrs bound what [ServerRequest.AppendStartAttrs] and
// [ServerRequest.AppendLateAttrs] append.
const (
	MaxServerStartAttrs = 8
	MaxServerLateAttrs  = 5
)

// AppendSpanAttrs appends all the server span's request attributes, in otelhttp's order: server.address,
// http.request.method, url.scheme, server.port, http.request.method_original, network.peer.address,
// network.peer.port, user_agent.original, client.address, url.path, network.protocol.name (when not
// "http"), network.protocol.version and http.route (when known).
func (s *ServerRequest) AppendSpanAttrs(dst []attribute.KeyValue) []attribute.KeyValue {
	dst = s.AppendStartAttrs(dst)
	return s.AppendLateAttrs(dst)
}

// AppendStartAttrs appends the request attributes that semantic conventions want given when the span
// starts, because samplers may use them: server.address, http.request.method, url.scheme, server.port,
// user_agent.original, client.address, url.path, and http.route when it is already known.
func (s *ServerRequest) AppendStartAttrs(dst []attribute.KeyValue) []attribute.KeyValue {
	dst = append(dst, semconv.ServerAddress(s.Host), s.Method.Attr(), SchemeAttr(s.HTTPS))
	if s.Port > 0 {
		dst = append(dst, semconv.ServerPort(s.Port))
	}
	if s.UserAgent != "" {
		dst = append(dst, semconv.UserAgentOriginal(s.UserAgent))
	}
	if s.ClientAddr != "" {
		dst = append(dst, semconv.ClientAddress(s.ClientAddr))
	}
	if s.Path != "" {
		dst = append(dst, semconv.URLPath(s.Path))
	}
	if s.Route != "" {
		dst = append(dst, semconv.HTTPRoute(s.Route))
	}
	return dst
}

// AppendLateAttrs appends the other request attributes: http.request.method_original,
// network.peer.address and .port, network.protocol.name (when not "http") and .version.
func (s *ServerRequest) AppendLateAttrs(dst []attribute.KeyValue) []attribute.KeyValue {
	if s.MethodOriginal != "" {
		dst = append(dst, OriginalAttr(s.MethodOriginal))
	}
	if s.PeerAddr != "" {
		dst = append(dst, semconv.NetworkPeerAddress(s.PeerAddr))
		if s.PeerPort > 0 {
			dst = append(dst, semconv.NetworkPeerPort(s.PeerPort))
		}
	}
	if s.ProtoName != "" && s.ProtoName != "http" {
		dst = append(dst, semconv.NetworkProtocolName(s.ProtoName))
	}
	if s.ProtoVersion != "" {
		dst = append(dst, semconv.NetworkProtocolVersion(s.ProtoVersion))
	}
	return dst
}

// MetricKey returns the key of the server metric attribute set for a response.
func (s *ServerRequest) MetricKey(status int, route, errorType string) ServerMetricKey {
	return ServerMetricKey{
		Route: route, Host: s.Host, Port: s.Port, Status: status, Method: s.Method, HTTPS: s.HTTPS,
		ProtoName: s.ProtoName, ProtoVersion: s.ProtoVersion, ErrorType: errorType,
	}
}

// ServerMetricKey identifies one attribute set of the server histograms. It is comparable, for [Cache].
type ServerMetricKey struct {
	Route        string
	Host         string
	Port         int
	Status       int
	Method       Method
	HTTPS        bool
	ProtoName    string
	ProtoVersion string
	ErrorType    string
}

// Attrs builds the attribute set for k: http.request.method, url.scheme, server.address, server.port (when
// required), network.protocol.name and .version, http.response.status_code (when sent), http.route (when
// known) and error.type (when set; otelhttp v0.72 never sets it on server metrics).
func (k ServerMetricKey) Attrs() *MetricAttrs {
	kv := make([]attribute.KeyValue, 0, 9)
	kv = append(kv, semconv.HTTPRequestMethodKey.String(k.Method.String()), SchemeAttr(k.HTTPS),
		semconv.ServerAddress(k.Host))
	if k.Port > 0 {
		kv = append(kv, semconv.ServerPort(k.Port))
	}
	if k.ProtoName != "" {
		kv = append(kv, semconv.NetworkProtocolName(k.ProtoName))
	}
	if k.ProtoVersion != "" {
		kv = append(kv, semconv.NetworkProtocolVersion(k.ProtoVersion))
	}
	if k.Status > 0 {
		kv = append(kv, semconv.HTTPResponseStatusCode(k.Status))
	}
	if k.Route != "" {
		kv = append(kv, semconv.HTTPRoute(k.Route))
	}
	if k.ErrorType != "" {
		kv = append(kv, semconv.ErrorTypeKey.String(k.ErrorType))
	}
	return NewMetricAttrs(k.ErrorType, kv...)
}
