package httpconv

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func kvMap(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func TestServerRequest(t *testing.T) {
	r := httptest.NewRequest("purge", "http://example.com:8080/a/b?q=1", nil)
	r.Header.Set("User-Agent", "ua")
	r.Header.Set("X-Forwarded-For", "203.0.113.1, 10.0.0.1")
	r.Pattern = "PURGE /a/{x}"
	var s ServerRequest
	ReadServerRequest(&s, "", r, true)
	got := kvMap(s.AppendSpanAttrs(nil))
	want := map[string]string{
		"server.address": "example.com", "server.port": "8080", "http.request.method": "_OTHER",
		"http.request.method_original": "purge", "url.scheme": "http", "network.peer.address": "192.0.2.1",
		"network.peer.port": "1234", "user_agent.original": "ua", "client.address": "203.0.113.1",
		"url.path": "/a/b", "network.protocol.version": "1.1", "http.route": "/a/{x}",
	}
	if len(got) != len(want) {
		t.Errorf("attributes %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	ReadServerRequest(&s, "api.example.com", r, false)
	if s.Host != "api.example.com" || s.Port != 8080 || s.ClientAddr != "192.0.2.1" {
		t.Errorf("server name / untrusted forwarding: %+v", s)
	}
	// On metrics, only the configured name: the Host header's port is client input.
	ma := s.MetricKey(503, "/a/{x}", "503").Attrs()
	if m := kvMap(ma.Set.ToSlice()); m["error.type"] != "503" || m["http.response.status_code"] != "503" ||
		m["network.protocol.name"] != "http" || m["server.address"] != "api.example.com" || len(m) != 8 ||
		len(ma.Opts) != 1 {
		t.Errorf("metric attributes %v", m)
	}
	ReadServerRequest(&s, "api.example.com:8443", r, false)
	if m := kvMap(s.MetricKey(200, "", "").Attrs().Set.ToSlice()); m["server.address"] != "api.example.com" ||
		m["server.port"] != "8443" {
		t.Errorf("metric attributes with a configured port %v", m)
	}
	ReadServerRequest(&s, "", r, false)
	if m := kvMap(s.MetricKey(200, "", "").Attrs().Set.ToSlice()); m["server.address"] != "" || m["server.port"] != "" {
		t.Errorf("metric attributes from the Host header %v", m)
	}

	r2 := httptest.NewRequest("GET", "/x", nil)
	buf := make([]attribute.KeyValue, 0, MaxServerSpanAttrs)
	n := testing.AllocsPerRun(100, func() {
		ReadServerRequest(&s, "", r2, true)
		buf = s.AppendSpanAttrs(buf[:0])
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func TestClientRequest(t *testing.T) {
	r, _ := http.NewRequest("GET", "https://u:p@example.com:8443/x?k=v", nil)
	var c ClientRequest
	ReadClientRequest(&c, r, true)
	got := kvMap(c.AppendSpanAttrs(nil))
	want := map[string]string{"http.request.method": "GET", "url.full": "https://example.com:8443/x?k=REDACTED",
		"server.address": "example.com", "server.port": "8443", "network.protocol.version": "1.1"}
	if len(got) != len(want) {
		t.Errorf("attributes %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	resp := &http.Response{StatusCode: 503, Proto: "HTTP/2.0"}
	if m := kvMap(AppendClientResponse(nil, resp)); m["error.type"] != "503" || m["network.protocol.version"] != "2.0" {
		t.Errorf("response attributes %v", m)
	}
	m := kvMap(c.MetricKey(0, "", "net.OpError").Attrs().Set.ToSlice())
	if m["error.type"] != "net.OpError" || m["url.scheme"] != "https" || m["server.port"] != "8443" {
		t.Errorf("metric attributes %v", m)
	}
}
