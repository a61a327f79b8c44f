package httpconv

import (
	"net/url"
	"testing"
)

func TestRedactQuery(t *testing.T) {
	for in, want := range map[string]string{
		"token=abc":                 "token=REDACTED",
		"a=1&b=2":                   "a=REDACTED&b=REDACTED",
		"flag":                      "flag",
		"a=&b":                      "a=REDACTED&b",
		"a=1&&b=2":                  "a=REDACTED&&b=REDACTED",
		"x=a=b":                     "x=REDACTED",
		"sig%20nature=%2F&q=hi+you": "sig%20nature=REDACTED&q=REDACTED",
		"=v":                        "=REDACTED",
	} {
		if got := RedactQuery(in); got != want {
			t.Errorf("RedactQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFullURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@example.com:8443/p/a%2Fb?token=s&x=1#frag")
	if got, want := FullURL(u, true), "https://example.com:8443/p/a%2Fb?token=REDACTED&x=REDACTED#frag"; got != want {
		t.Errorf("redacted %q, want %q", got, want)
	}
	if got, want := FullURL(u, false), "https://example.com:8443/p/a%2Fb?token=s&x=1#frag"; got != want {
		t.Errorf("full %q, want %q", got, want)
	}
	if u.User == nil || u.RawQuery != "token=s&x=1" {
		t.Errorf("FullURL modified its argument: %v", u)
	}
	if FullURL(nil, true) != "" {
		t.Error("nil URL")
	}
}
