package httpconv

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"sync"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// ErrorType returns the error.type of err as semantic conventions v1.43.0 define it (the ErrorType method
// of err or of an error it wraps, else the Go type name, looking through fmt.Errorf wrapping). otelhttp
// puts this value on client spans. It allocates only for types without a package path.
func ErrorType(err error) string {
	if err == nil {
		return semconv.ErrorTypeOther.Value.AsString()
	}
	return semconv.ErrorType(err).Value.AsString()
}

// ClientMetricErrorType returns the error.type otelhttp v0.72 records on http.client.* metrics for a
// transport error: the error's own type, pointers dereferenced, as "pkgpath.Name" (or the type's string for
// unnamed types). It is deliberately not unwrapped, to keep the number of values small.
func ClientMetricErrorType(err error) string {
	t := reflect.TypeOf(err)
	if t == nil {
		return semconv.ErrorTypeOther.Value.AsString()
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" {
		if s := t.String(); s != "" {
			return s
		}
		return semconv.ErrorTypeOther.Value.AsString()
	}
	return t.PkgPath() + "." + t.Name()
}

// PanicType returns the error.type recorded for a handler panic with value v: [ErrorType] for an error
// (for http.ErrAbortHandler, "net/http.ErrAbortHandler"), else the Go type of the value, named as the
// OpenTelemetry SDK names exception types ("string", "runtime.boundsError", ...).
func PanicType(v any) string {
	if err, ok := v.(error); ok {
		if errors.Is(err, http.ErrAbortHandler) {
			return "net/http.ErrAbortHandler"
		}
		return ErrorType(err)
	}
	return TypeName(v)
}

// TypeName names the dynamic type of v as the SDK's Span.RecordError names exception.type: "pkgpath.Name",
// or the type's string for predeclared and unnamed types ("string", "*errors.errorString").
func TypeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "<nil>"
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// StatusErrorType returns the error.type of an HTTP status code ("500"). Codes from 100 to 999 come from a
// table and never allocate.
func StatusErrorType(code int) string {
	if code >= 100 && code <= 999 {
		return statusStrings()[code-100]
	}
	return strconv.Itoa(code)
}

// statusStrings holds "100" to "999", built on first use.
var statusStrings = sync.OnceValue(func() *[900]string {
	var t [900]string
	for i := range t {
		t[i] = strconv.Itoa(i + 100)
	}
	return &t
})

// ServerError reports whether a server response with this status code is an error: 5xx, or a code outside
// 100-599. 4xx responses are the client's error, not the server's.
func ServerError(code int) bool { return code >= 500 || (code != 0 && code < 100) }

// ClientError reports whether a client response with this status code is an error: 4xx, 5xx, or a code
// below 100.
func ClientError(code int) bool { return code >= 400 || code < 100 }
