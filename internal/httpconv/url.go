package httpconv

import (
	"net/url"
	"strings"
)

// Redacted replaces query values in url.full.
const Redacted = "REDACTED"

// FullURL returns url.full for u: u.String() without userinfo and without the fragment (never sent to the
// server, and where OAuth implicit flows put tokens), and, when redactQuery is set, with every query value
// replaced by [Redacted] (keys kept: "?token=REDACTED&page=REDACTED"; see [RedactQuery]). It returns "" for
// nil.
func FullURL(u *url.URL, redactQuery bool) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	if redactQuery && c.RawQuery != "" {
		c.RawQuery = RedactQuery(c.RawQuery)
	}
	return c.String()
}

// RedactQuery replaces the value of each "key=value" part of a raw query with [Redacted], keeping the keys
// (still escaped as given) and the order. A part without "=" ("?SECRET", "?flag") may be a value on its
// own, so it is replaced whole; empty parts stay empty.
func RedactQuery(raw string) string {
	var b strings.Builder
	b.Grow(len(raw) + 8*strings.Count(raw, "="))
	for i := 0; ; i++ {
		part, rest, more := strings.Cut(raw, "&")
		if i > 0 {
			b.WriteByte('&')
		}
		if k, _, ok := strings.Cut(part, "="); ok {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(Redacted)
		} else if part != "" {
			b.WriteString(Redacted)
		}
		if !more {
			return b.String()
		}
		raw = rest
	}
}
