package httpconv

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{"aéb", 2, "a"}, // é is two bytes: never cut inside it
		{"aéb", 3, "aé"},
		{"😀😀", 5, "😀"},
		{"", 0, ""},
	} {
		if got := Truncate(c.in, c.n); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	long := strings.Repeat("é", 5000)
	if got := Truncate(long, MaxPathLen); len(got) > MaxPathLen || !utf8.ValidString(got) {
		t.Errorf("Truncate: %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
}

func TestValidHost(t *testing.T) {
	for in, want := range map[string]bool{
		"example.com": true, "EXAMPLE.com": true, "127.0.0.1": true, "xn--bcher-kva.example": true,
		"under_score~": true, "::1": true, "2001:db8::1": true, "fe80::1%eth0": true, "::ffff:192.0.2.1": true,
		strings.Repeat("a", MaxHostLen): true,
		"":                              false, strings.Repeat("a", MaxHostLen+1): false, "bad host": false, "a/b": false, "a\x00": false,
		"é.example": false, "a@b": false, "[::1]": false, "::g": false, "fe80::1%": false, "fe80::1%e/0": false,
		"a:b": true, // only SplitHostPort's output reaches ValidHost: a ':' there came from brackets
	} {
		if got := ValidHost(in); got != want {
			t.Errorf("ValidHost(%.40q) = %v, want %v", in, got, want)
		}
	}
}

func TestForwardedClientBounds(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.1":                   "203.0.113.1",
		"203.0.113.1, 10.0.0.1":         "203.0.113.1",
		" 203.0.113.1 ,10.0.0.1":        "203.0.113.1",
		"2001:db8::1, 10.0.0.1":         "2001:db8::1",
		"[2001:db8::1]:4711":            "[2001:db8::1]:4711",
		"203.0.113.1:4711":              "203.0.113.1:4711",
		"client.example":                "client.example",
		"":                              "",
		"not an address, 10.0.0.1":      "",
		"<script>":                      "",
		strings.Repeat("1", 300):        "",
		strings.Repeat("1", 300) + ",x": "",
	} {
		if got := ForwardedClient(in); got != want {
			t.Errorf("ForwardedClient(%.40q) = %q, want %q", in, got, want)
		}
	}
}

// TestServerRequestBounds checks that hostile request values give bounded span attributes and metric
// attribute sets that carry nothing from the request but normalised values.
func TestServerRequestBounds(t *testing.T) {
	huge := strings.Repeat("x", 900_000)
	r := httptest.NewRequest("GET", "/p", nil)
	r.Host = huge + ":8080"
	r.Method = "Y" + huge
	r.URL.Path = "/" + strings.Repeat("é", 400_000)
	r.Proto = "HTTP/" + huge
	r.Header.Set("User-Agent", huge)
	r.Header.Set("X-Forwarded-For", huge)
	var s ServerRequest
	ReadServerRequest(&s, "", r, true)
	got := kvMap(s.AppendSpanAttrs(nil))
	for k, v := range got {
		if len(v) > MaxPathLen {
			t.Errorf("%s has %d bytes", k, len(v))
		}
	}
	if _, ok := got["server.address"]; ok || got["server.port"] != "" {
		t.Errorf("server.address %q server.port %q from an invalid Host", got["server.address"], got["server.port"])
	}
	if got["client.address"] != "192.0.2.1" || len(got["user_agent.original"]) != MaxUserAgentLen ||
		len(got["http.request.method_original"]) != MaxMethodLen || !utf8.ValidString(got["url.path"]) {
		t.Errorf("span attributes %v", got)
	}
	m := kvMap(s.MetricKey(200, "", "").Attrs().Set.ToSlice())
	want := map[string]string{"http.request.method": "_OTHER", "url.scheme": "http", "http.response.status_code": "200"}
	if len(m) != len(want) {
		t.Errorf("metric attributes %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("metric %s = %q, want %q", k, m[k], v)
		}
	}
	for proto, want := range map[string]string{"HTTP/1.1": "http 1.1", "HTTP/2.0": "http 2.0", "HTTP/3": "http 3",
		"HTTP/12.0": "http ", "FOO/1.0": " ", "HTTP/1.1x": "http "} {
		if n, v := metricProto(Protocol(proto)); n+" "+v != want {
			t.Errorf("metric protocol of %q = %q %q, want %q", proto, n, v, want)
		}
	}
}
