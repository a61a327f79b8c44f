package httpconv

import (
	"strings"
	"unicode/utf8"
)

// Bounds on the request values recorded as span attributes. Headers are client input, limited only by the
// server's header size limit (1 MB by default): without these bounds a hostile request could make every
// span it produces megabytes long.
const (
	// MaxHostLen bounds server.address taken from the Host header and client.address taken from
	// X-Forwarded-For: longer values are not recorded (a DNS name is at most 253 bytes).
	MaxHostLen = 255
	// MaxUserAgentLen bounds user_agent.original; longer values are truncated.
	MaxUserAgentLen = 1024
	// MaxPathLen bounds url.path; longer values are truncated.
	MaxPathLen = 2048
	// MaxMethodLen bounds http.request.method_original; longer values are truncated.
	MaxMethodLen = 64
)

// Truncate returns s cut to at most n bytes, at a UTF-8 character boundary. It never allocates.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// ValidHost reports whether host, as [SplitHostPort] returns it, is a plausible server or client address:
// non-empty, at most [MaxHostLen] bytes, and either a host name or IPv4 address (letters, digits, "-", ".",
// "_", "~") or an IPv6 address (hex digits, ":", ".") with an optional zone ("%eth0"). Anything else (spaces,
// slashes, control bytes, non-ASCII) is what no client sends by mistake, and is not recorded.
func ValidHost(host string) bool {
	if host == "" || len(host) > MaxHostLen {
		return false
	}
	if strings.IndexByte(host, ':') < 0 {
		return validName(host)
	}
	addr, zone, hasZone := strings.Cut(host, "%")
	if hasZone && !validName(zone) {
		return false
	}
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if !(c == ':' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// validName reports whether s is non-empty and made of RFC 3986 unreserved characters.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' ||
			c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// metricProto returns the protocol name and version if they are among the few a metric attribute set may
// carry (http, spdy or quic, and a version of one digit or two digits around a dot), else "", "": metric
// attributes take only values from small, fixed sets, whatever a server lets through.
func metricProto(name, version string) (string, string) {
	switch name {
	case "http", "spdy", "quic":
	default:
		return "", ""
	}
	digit := func(c byte) bool { return '0' <= c && c <= '9' }
	switch {
	case len(version) == 1 && digit(version[0]):
	case len(version) == 3 && digit(version[0]) && version[1] == '.' && digit(version[2]):
	default:
		version = ""
	}
	return name, version
}
