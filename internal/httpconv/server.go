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
	Host           string // server.address on spans: the configured name, else a valid Host header, else ""
	Port           int    // server.port on spans when it must be recorded, else -1
	MetricHost     string // server.address on metrics: the configured name only, else ""
	MetricPort     int    // server.port on metrics: the configured name's, when it must be recorded, else -1
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

// ReadServerRequest fills s from r as otelhttp v0.72 does, with client input bounded. serverName, when set,
// replaces the Host header as server.address (its port, if any, wins too), and is the only server.address
// (and port) the metrics get: a Host header is client input, so on metrics it would let any client create
// series at will (semantic conventions make server.address opt-in on HTTP server metrics for that reason).
// A Host header that is not a valid host ([ValidHost]) gives no server.address or server.port at all.
// user_agent.original, url.path and http.request.method_original are truncated to [MaxUserAgentLen],
// [MaxPathLen] and [MaxMethodLen] bytes. When trustForwarded is false, client.address is the peer address
// even if the request carries X-Forwarded-For (set it from the inbound trust policy).
func ReadServerRequest(s *ServerRequest, serverName string, r *http.Request, trustForwarded bool) {
	var p int
	s.HTTPS = r.TLS != nil
	s.MetricHost, s.MetricPort = "", -1
	if serverName == "" {
		if s.Host, p = SplitHostPort(r.Host); !ValidHost(s.Host) {
			s.Host, p = "", -1
		}
	} else {
		s.Host, p = SplitHostPort(serverName)
		s.MetricHost, s.MetricPort = s.Host, RequiredPort(s.HTTPS, p)
		if p < 0 {
			if h, hp := SplitHostPort(r.Host); ValidHost(h) {
				p = hp
			}
		}
	}
	s.Port = RequiredPort(s.HTTPS, p)
	var exact bool
	s.Method, exact = ParseMethod(r.Method)
	s.MethodOriginal = ""
	if !exact && r.Method != "" {
		s.MethodOriginal = Truncate(r.Method, MaxMethodLen)
	}
	s.PeerAddr, s.PeerPort = SplitHostPort(r.RemoteAddr)
	s.UserAgent = Truncate(first(r.Header["User-Agent"]), MaxUserAgentLen)
	s.ClientAddr = ""
	if trustForwarded {
		s.ClientAddr = ForwardedClient(first(r.Header["X-Forwarded-For"]))
	}
	if s.ClientAddr == "" {
		s.ClientAddr = s.PeerAddr
	}
	s.Path = ""
	if r.URL != nil {
		s.Path = Truncate(r.URL.Path, MaxPathLen)
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
// starts, because samplers may use them: server.address (when known), http.request.method, url.scheme,
// server.port, user_agent.original, client.address, url.path, and http.route when it is already known.
func (s *ServerRequest) AppendStartAttrs(dst []attribute.KeyValue) []attribute.KeyValue {
	if s.Host != "" {
		dst = append(dst, semconv.ServerAddress(s.Host))
	}
	dst = append(dst, s.Method.Attr(), SchemeAttr(s.HTTPS))
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

// MetricKey returns the key of the server metric attribute set for a response. Only values from small sets
// go into it, whatever the request carried: the method (normalised), the scheme, the configured server
// name and port (never the Host header), known protocol names and versions, and the route, status and error
// type the caller passes (from the route table and the handler, never from the raw request).
func (s *ServerRequest) MetricKey(status int, route, errorType string) ServerMetricKey {
	name, version := metricProto(s.ProtoName, s.ProtoVersion)
	return ServerMetricKey{
		Route: route, Host: s.MetricHost, Port: s.MetricPort, Status: status, Method: s.Method, HTTPS: s.HTTPS,
		ProtoName: name, ProtoVersion: version, ErrorType: errorType,
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

// Attrs builds the attribute set for k: http.request.method, url.scheme, server.address (when set),
// server.port (when required), network.protocol.name and .version, http.response.status_code (when sent),
// http.route (when known) and error.type (when set; otelhttp v0.72 never sets it on server metrics).
func (k ServerMetricKey) Attrs() *MetricAttrs {
	kv := make([]attribute.KeyValue, 0, 9)
	kv = append(kv, semconv.HTTPRequestMethodKey.String(k.Method.String()), SchemeAttr(k.HTTPS))
	if k.Host != "" {
		kv = append(kv, semconv.ServerAddress(k.Host))
	}
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
