package httpconv

import "strings"

// SplitHostPort splits "host", "host:port", "[ipv6]", "[ipv6]:port" (zones allowed) into host and port,
// exactly as otelhttp does: an empty host when none is given or the input is unparsable, and a negative
// port when none is given or it is not a decimal number up to 65535. Unlike net.SplitHostPort it never
// allocates, whatever the input.
func SplitHostPort(hostport string) (host string, port int) {
	port = -1
	if strings.HasPrefix(hostport, "[") {
		end := strings.LastIndexByte(hostport, ']')
		if end < 0 {
			return "", port
		}
		if strings.IndexByte(hostport[end:], ':') < 0 {
			return hostport[1:end], port
		}
	} else if strings.IndexByte(hostport, ':') < 0 {
		return hostport, port
	}
	host, portStr, ok := splitHostPort(hostport)
	if !ok {
		return "", port
	}
	p, ok := parsePort(portStr)
	if !ok {
		return host, port
	}
	return host, p
}

// splitHostPort is net.SplitHostPort without the error values (which allocate).
func splitHostPort(hostport string) (host, port string, ok bool) {
	j, k := 0, 0
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 {
		return "", "", false
	}
	if hostport[0] == '[' {
		end := strings.IndexByte(hostport, ']')
		if end < 0 || end+1 != i {
			return "", "", false
		}
		host = hostport[1:end]
		j, k = 1, end+1
	} else {
		host = hostport[:i]
		if strings.IndexByte(host, ':') >= 0 {
			return "", "", false
		}
	}
	if strings.IndexByte(hostport[j:], '[') >= 0 || strings.IndexByte(hostport[k:], ']') >= 0 {
		return "", "", false
	}
	return host, hostport[i+1:], true
}

// parsePort parses a decimal port as strconv.ParseUint(s, 10, 16) would.
func parsePort(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 0xffff {
			return 0, false
		}
	}
	return n, true
}

// RequiredPort returns port when server.port must be recorded: when it is known and not the scheme's
// default (80 for http, 443 for https); otherwise -1.
func RequiredPort(https bool, port int) int {
	if port <= 0 || (https && port == 443) || (!https && port == 80) {
		return -1
	}
	return port
}

// maxProtoLen bounds the protocol [Protocol] splits; a longer one is not recorded.
const maxProtoLen = 32

// Protocol splits a request's Proto ("HTTP/1.1") into network.protocol.name ("http") and
// network.protocol.version ("1.1"). Known names never allocate; others are lower-cased.
func Protocol(proto string) (name, version string) {
	switch proto {
	case "HTTP/1.1":
		return "http", "1.1"
	case "HTTP/2.0":
		return "http", "2.0"
	case "HTTP/1.0":
		return "http", "1.0"
	}
	if len(proto) > maxProtoLen {
		return "", ""
	}
	name, version, _ = strings.Cut(proto, "/")
	switch name {
	case "HTTP":
		name = "http"
	case "QUIC":
		name = "quic"
	case "SPDY":
		name = "spdy"
	default:
		name = strings.ToLower(name)
	}
	return name, version
}

// ForwardedClient returns the first entry of an X-Forwarded-For value, as otelhttp uses it for
// client.address, without surrounding spaces; or "" when that entry is not a plausible address (an IP
// address or host name, with or without a port, at most [MaxHostLen] bytes; see [ValidHost]), so that the
// caller falls back to the peer address.
func ForwardedClient(xff string) string {
	if i := strings.IndexByte(xff, ','); i >= 0 {
		xff = xff[:i]
	}
	xff = strings.TrimSpace(xff)
	if len(xff) > MaxHostLen {
		return ""
	}
	h := xff
	if strings.Count(xff, ":") < 2 || strings.HasPrefix(xff, "[") { // not a bare IPv6 address
		h, _ = SplitHostPort(xff)
	}
	if !ValidHost(h) {
		return ""
	}
	return xff
}
