package httpconv

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

// otelhttpSplitHostPort is otelhttp v0.72's SplitHostPort, the reference.
func otelhttpSplitHostPort(hostport string) (host string, port int) {
	port = -1
	if strings.HasPrefix(hostport, "[") {
		addrEnd := strings.LastIndexByte(hostport, ']')
		if addrEnd < 0 {
			return host, port
		}
		if i := strings.LastIndexByte(hostport[addrEnd:], ':'); i < 0 {
			host = hostport[1:addrEnd]
			return host, port
		}
	} else if !strings.Contains(hostport, ":") {
		host = hostport
		return host, port
	}
	host, pStr, err := net.SplitHostPort(hostport)
	if err != nil {
		return host, port
	}
	p, err := strconv.ParseUint(pStr, 10, 16)
	if err != nil {
		return host, port
	}
	return host, int(p)
}

var hostPorts = []string{
	"", "example.com", "example.com:80", "example.com:8080", "127.0.0.1:1234", "[::1]:443", "[::1]",
	"[fe80::1%eth0]:80", "[fe80::1%eth0]", "::1", ":8080", "host:", "host:port", "host:65535", "host:65536",
	"host:-1", "host:+1", "host:0080", "a:b:c", "[::1", "[::1]x:80", "[::1]:80:90", "]:80", "[a]:[b]",
	"a]:80", "[]:80", "h:99999999999999999999", "é:1",
}

func TestSplitHostPortMatchesOtelhttp(t *testing.T) {
	for _, in := range hostPorts {
		h, p := SplitHostPort(in)
		wh, wp := otelhttpSplitHostPort(in)
		if h != wh || p != wp {
			t.Errorf("SplitHostPort(%q) = %q %d, otelhttp %q %d", in, h, p, wh, wp)
		}
	}
	for _, in := range hostPorts {
		if n := testing.AllocsPerRun(10, func() { SplitHostPort(in) }); n != 0 {
			t.Errorf("SplitHostPort(%q) allocates %v times", in, n)
		}
	}
}

func FuzzSplitHostPort(f *testing.F) {
	for _, in := range hostPorts {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, p := SplitHostPort(in)
		wh, wp := otelhttpSplitHostPort(in)
		if h != wh || p != wp {
			t.Errorf("SplitHostPort(%q) = %q %d, otelhttp %q %d", in, h, p, wh, wp)
		}
	})
}

func TestRequiredPort(t *testing.T) {
	for _, c := range []struct {
		https      bool
		port, want int
	}{
		{false, 80, -1}, {false, 443, 443}, {true, 443, -1}, {true, 80, 80}, {false, -1, -1}, {false, 0, -1},
		{true, 8443, 8443},
	} {
		if got := RequiredPort(c.https, c.port); got != c.want {
			t.Errorf("RequiredPort(%v, %d) = %d, want %d", c.https, c.port, got, c.want)
		}
	}
}

func TestProtocol(t *testing.T) {
	for _, c := range []struct{ in, name, version string }{
		{"HTTP/1.1", "http", "1.1"}, {"HTTP/2.0", "http", "2.0"}, {"HTTP/1.0", "http", "1.0"},
		{"HTTP/3", "http", "3"}, {"QUIC/1", "quic", "1"}, {"SPDY/3", "spdy", "3"}, {"Foo/9", "foo", "9"},
		{"", "", ""}, {"HTTP", "http", ""},
	} {
		if n, v := Protocol(c.in); n != c.name || v != c.version {
			t.Errorf("Protocol(%q) = %q %q, want %q %q", c.in, n, v, c.name, c.version)
		}
	}
	if n := testing.AllocsPerRun(10, func() { Protocol("HTTP/1.1"); Protocol("HTTP/3") }); n != 0 {
		t.Errorf("Protocol allocates %v times", n)
	}
}

func TestForwardedClient(t *testing.T) {
	for in, want := range map[string]string{"": "", "1.2.3.4": "1.2.3.4", "1.2.3.4, 5.6.7.8": "1.2.3.4", ",x": ""} {
		if got := ForwardedClient(in); got != want {
			t.Errorf("ForwardedClient(%q) = %q, want %q", in, got, want)
		}
	}
}
