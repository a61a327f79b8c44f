package otelkit

import (
	"net/http"
	"sort"
	"strings"
)

// reservedHeaders are set by the exporter itself; overriding them would corrupt the request.
var reservedHeaders = map[string]bool{
	"content-type": true, "content-length": true, "content-encoding": true,
	"transfer-encoding": true, "connection": true, "te": true, "upgrade": true, "host": true,
}

// header is one validated header. Values are secrets and never printed.
type header struct{ name, value string }

// validateHeaders checks names and values and returns them in a stable order. Errors name the header, never its value.
func validateHeaders(field string, h map[string]string, grpc bool) ([]header, error) {
	if len(h) == 0 {
		return nil, nil
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	seen := make(map[string]string, len(h))
	out := make([]header, 0, len(h))
	for _, name := range names {
		if name == "" {
			return nil, invalid(field, "empty header name")
		}
		if !isToken(name) {
			// An invalid name may be a mistyped "Name: value" with the credential in it: show only the part
			// before the first character that is not allowed.
			return nil, invalid(field+"["+quote(tokenPrefix(name))+"…]",
				"invalid header name (only letters, digits and !#$%&'*+-.^_`|~ are allowed; write name=value, not name: value)")
		}
		f := field + "[" + quote(name) + "]"
		lower := strings.ToLower(name)
		if prev, dup := seen[lower]; dup {
			return nil, invalid(f, "duplicate header name (case-insensitive) of "+quote(prev))
		}
		seen[lower] = name
		if reservedHeaders[lower] {
			return nil, invalid(f, "header is set by the exporter and cannot be configured")
		}
		if grpc {
			if strings.HasPrefix(lower, "grpc-") || strings.HasPrefix(lower, ":") {
				return nil, invalid(f, "reserved gRPC metadata name")
			}
			if strings.HasSuffix(lower, "-bin") {
				return nil, invalid(f, "binary gRPC metadata (-bin) is not supported")
			}
			if strings.IndexFunc(lower, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
			}) >= 0 {
				return nil, invalid(f, "gRPC metadata names may only contain letters, digits, '-', '_' and '.'")
			}
		}
		value := h[name]
		if reason := badHeaderValue(value); reason != "" {
			return nil, invalid(f, "header value "+reason)
		}
		if grpc && strings.IndexFunc(value, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0 {
			return nil, invalid(f, "gRPC metadata values must be printable ASCII (no tabs or non-ASCII characters)")
		}
		wire := http.CanonicalHeaderKey(name)
		if grpc {
			wire = lower
		}
		out = append(out, header{name: wire, value: value})
	}
	return out, nil
}

// badHeaderValue describes why v cannot be sent, without quoting it.
func badHeaderValue(v string) string {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\r' || c == '\n':
			return "contains CR or LF"
		case c == 0:
			return "contains NUL"
		case c < 0x20 && c != '\t', c == 0x7f:
			return "contains a control character"
		}
	}
	return ""
}

// tokenPrefix returns the longest prefix of s made of token characters.
func tokenPrefix(s string) string {
	for i := 0; i < len(s); i++ {
		if !isToken(s[i : i+1]) {
			return s[:i]
		}
	}
	return s
}

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return s != ""
}
