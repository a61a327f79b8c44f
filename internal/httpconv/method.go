package httpconv

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Method is a request method normalised for telemetry: one of the nine methods semantic conventions know,
// or [MethodOther]. The zero value is MethodOther.
type Method uint8

// The known methods, and MethodOther for everything else (including the empty method).
const (
	MethodOther Method = iota
	MethodConnect
	MethodDelete
	MethodGet
	MethodHead
	MethodOptions
	MethodPatch
	MethodPost
	MethodPut
	MethodTrace

	// NumMethods is the number of Method values, for tables indexed by Method.
	NumMethods = int(MethodTrace) + 1
)

var methodNames = [NumMethods]string{
	"_OTHER", http.MethodConnect, http.MethodDelete, http.MethodGet, http.MethodHead,
	http.MethodOptions, http.MethodPatch, http.MethodPost, http.MethodPut, http.MethodTrace,
}

var methodAttrs = [NumMethods]attribute.KeyValue{
	semconv.HTTPRequestMethodOther, semconv.HTTPRequestMethodConnect, semconv.HTTPRequestMethodDelete,
	semconv.HTTPRequestMethodGet, semconv.HTTPRequestMethodHead, semconv.HTTPRequestMethodOptions,
	semconv.HTTPRequestMethodPatch, semconv.HTTPRequestMethodPost, semconv.HTTPRequestMethodPut,
	semconv.HTTPRequestMethodTrace,
}

// ParseMethod normalises m. exact is false when the value of http.request.method differs from m (another
// case, an unknown method, or the empty method), in which case semantic conventions want m kept as
// http.request.method_original; for the empty method there is nothing to keep. It never allocates.
func ParseMethod(m string) (method Method, exact bool) {
	if k := lookupMethod(m); k != MethodOther {
		return k, true
	}
	if len(m) == 0 || len(m) > 7 {
		return MethodOther, false
	}
	var buf [7]byte
	for i := 0; i < len(m); i++ {
		c := m[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return lookupMethod(string(buf[:len(m)])), false
}

// lookupMethod matches m exactly. The switch compiles to length-then-content comparisons.
func lookupMethod(m string) Method {
	switch m {
	case http.MethodGet:
		return MethodGet
	case http.MethodPost:
		return MethodPost
	case http.MethodPut:
		return MethodPut
	case http.MethodDelete:
		return MethodDelete
	case http.MethodPatch:
		return MethodPatch
	case http.MethodHead:
		return MethodHead
	case http.MethodOptions:
		return MethodOptions
	case http.MethodConnect:
		return MethodConnect
	case http.MethodTrace:
		return MethodTrace
	}
	return MethodOther
}

// String returns the http.request.method value: "GET", ..., or "_OTHER".
func (m Method) String() string {
	if int(m) >= NumMethods {
		return methodNames[MethodOther]
	}
	return methodNames[m]
}

// Attr returns the http.request.method attribute.
func (m Method) Attr() attribute.KeyValue {
	if int(m) >= NumMethods {
		return methodAttrs[MethodOther]
	}
	return methodAttrs[m]
}

// SpanName returns the {method} part of an HTTP span name: the method, or "HTTP" for [MethodOther], as the
// semantic conventions require for methods the instrumentation does not know.
func (m Method) SpanName() string {
	if m == MethodOther || int(m) >= NumMethods {
		return "HTTP"
	}
	return methodNames[m]
}

// OriginalAttr returns the http.request.method_original attribute for a method as received.
func OriginalAttr(m string) attribute.KeyValue { return semconv.HTTPRequestMethodOriginal(m) }
