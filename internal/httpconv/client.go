package httpconv

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// ClientRequest is what an HTTP client span and its metrics are described by.
type ClientRequest struct {
	Method         Method
	MethodOriginal string // the method as given, when it differs from Method.String(); else ""
	URL            string // url.full, userinfo removed (and query values redacted, see [FullURL])
	Host           string // server.address
	Port           int    // server.port when it must be recorded, else -1
	Scheme         string // url.scheme for metrics
	ProtoName      string
	ProtoVersion   string
}

// ReadClientRequest fills c from an outgoing request as otelhttp v0.72 does, with url.full built by
// [FullURL].
func ReadClientRequest(c *ClientRequest, r *http.Request, redactQuery bool) {
	var exact bool
	c.Method, exact = ParseMethod(r.Method)
	c.MethodOriginal = ""
	if !exact && r.Method != "" {
		c.MethodOriginal = r.Method
	}
	var urlHost string
	if r.URL != nil {
		urlHost = r.URL.Host
	}
	var p int
	c.Host, p = SplitHostPort(urlHost)
	if c.Host == "" && p <= 0 {
		c.Host, p = SplitHostPort(first(r.Header["Host"]))
	}
	https := r.URL != nil && r.URL.Scheme == "https"
	c.Port = RequiredPort(https, p)
	c.URL = FullURL(r.URL, redactQuery)
	switch {
	case r.URL != nil && r.URL.Scheme != "":
		c.Scheme = r.URL.Scheme
	case r.TLS != nil:
		c.Scheme = "https"
	default:
		c.Scheme = "http"
	}
	c.ProtoName, c.ProtoVersion = Protocol(r.Proto)
}

// MaxClientSpanAttrs bounds the attributes [ClientRequest.AppendSpanAttrs] appends.
const MaxClientSpanAttrs = 7

// AppendSpanAttrs appends the client span's request attributes: http.request.method, its _original,
// url.full, server.address, server.port (when required), network.protocol.name (when not "http") and
// network.protocol.version.
func (c *ClientRequest) AppendSpanAttrs(dst []attribute.KeyValue) []attribute.KeyValue {
	dst = append(dst, c.Method.Attr())
	if c.MethodOriginal != "" {
		dst = append(dst, OriginalAttr(c.MethodOriginal))
	}
	dst = append(dst, semconv.URLFull(c.URL), semconv.ServerAddress(c.Host))
	if c.Port > 0 {
		dst = append(dst, semconv.ServerPort(c.Port))
	}
	if c.ProtoName != "" && c.ProtoName != "http" {
		dst = append(dst, semconv.NetworkProtocolName(c.ProtoName))
	}
	if c.ProtoVersion != "" {
		dst = append(dst, semconv.NetworkProtocolVersion(c.ProtoVersion))
	}
	return dst
}

// AppendClientResponse appends the client span's response attributes: http.response.status_code,
// error.type (the status code, for codes that are client errors), and the protocol the response came with.
func AppendClientResponse(dst []attribute.KeyValue, resp *http.Response) []attribute.KeyValue {
	if resp.StatusCode > 0 {
		dst = append(dst, semconv.HTTPResponseStatusCode(resp.StatusCode))
	}
	if ClientError(resp.StatusCode) {
		dst = append(dst, semconv.ErrorTypeKey.String(StatusErrorType(resp.StatusCode)))
	}
	name, version := Protocol(resp.Proto)
	if name != "" && name != "http" {
		dst = append(dst, semconv.NetworkProtocolName(name))
	}
	if version != "" {
		dst = append(dst, semconv.NetworkProtocolVersion(version))
	}
	return dst
}

// MetricKey returns the key of the client metric attribute set. respProto is the response's Proto (""
// without a response); errorType is set only for a transport error, as otelhttp does.
func (c *ClientRequest) MetricKey(status int, respProto, errorType string) ClientMetricKey {
	k := ClientMetricKey{Method: c.Method, Host: c.Host, Port: c.Port, Scheme: c.Scheme,
		ProtoName: c.ProtoName, ProtoVersion: c.ProtoVersion, Status: status, ErrorType: errorType}
	if respProto != "" {
		k.ProtoName, k.ProtoVersion = Protocol(respProto)
	}
	return k
}

// ClientMetricKey identifies one attribute set of the client histograms. It is comparable, for [Cache].
type ClientMetricKey struct {
	Method       Method
	Host         string
	Port         int
	Scheme       string
	ProtoName    string
	ProtoVersion string
	Status       int
	ErrorType    string
}

// Attrs builds the attribute set for k: http.request.method, server.address, url.scheme, server.port
// (when required), network.protocol.name and .version, http.response.status_code (when received) and
// error.type (transport errors only).
func (k ClientMetricKey) Attrs() *MetricAttrs {
	kv := make([]attribute.KeyValue, 0, 8)
	kv = append(kv, semconv.HTTPRequestMethodKey.String(k.Method.String()), semconv.ServerAddress(k.Host),
		semconv.URLScheme(k.Scheme))
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
	if k.ErrorType != "" {
		kv = append(kv, semconv.ErrorTypeKey.String(k.ErrorType))
	}
	return NewMetricAttrs(k.ErrorType, kv...)
}
