package httpconv

import (
	"net/url"
	"testing"
)

func TestRedactQuery(t *testing.T) {
	for in, want := range map[string]string{
		"token=abc":                 "token=REDACTED",
		"a=1&b=2":                   "a=REDACTED&b=REDACTED",
		"flag":                      "REDACTED", // a bare part is a value too: "?SECRET"
		"a=&b":                      "a=REDACTED&REDACTED",
		"a=1&&b=2":                  "a=REDACTED&&b=REDACTED",
		"x=a=b":                     "x=REDACTED",
		"sig%20nature=%2F&q=hi+you": "sig%20nature=REDACTED&q=REDACTED",
		"=v":                        "=REDACTED",
		"SECRET":                    "REDACTED",
		"a=1&SECRET&":               "a=REDACTED&REDACTED&",
	} {
		if got := RedactQuery(in); got != want {
			t.Errorf("RedactQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFullURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@example.com:8443/p/a%2Fb?token=s&x=1#frag")
	if got, want := FullURL(u, true), "https://example.com:8443/p/a%2Fb?token=REDACTED&x=REDACTED"; got != want {
		t.Errorf("redacted %q, want %q", got, want)
	}
	// The fragment is never recorded: it is not sent to the server, and can carry tokens (#access_token=).
	if got, want := FullURL(u, false), "https://example.com:8443/p/a%2Fb?token=s&x=1"; got != want {
		t.Errorf("full %q, want %q", got, want)
	}
	for in, want := range map[string]string{
		"https://example.com/cb?SECRET":                   "https://example.com/cb?REDACTED",
		"https://example.com/cb?code=1&SECRET#k=v":        "https://example.com/cb?code=REDACTED&REDACTED",
		"https://example.com/cb#access_token=secret":      "https://example.com/cb",
		"https://example.com/cb?#access_token=secret":     "https://example.com/cb?",
		"https://example.com/cb?a=b#frag%20with%2Fescape": "https://example.com/cb?a=REDACTED",
	} {
		v, _ := url.Parse(in)
		if got := FullURL(v, true); got != want {
			t.Errorf("FullURL(%q) = %q, want %q", in, got, want)
		}
	}
	if u.Fragment != "frag" {
		t.Errorf("FullURL modified its argument's fragment: %v", u)
	}
	if u.User == nil || u.RawQuery != "token=s&x=1" {
		t.Errorf("FullURL modified its argument: %v", u)
	}
	if FullURL(nil, true) != "" {
		t.Error("nil URL")
	}
}
