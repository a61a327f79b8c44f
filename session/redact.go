package session

import (
	"strings"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// errText is the error.message of err: its text with the URLs in it redacted (see [redactURLs]). Error
// text of HTTP clients holds the request URL (*url.Error: `Get "https://host/path?token=...": ...`), and
// error.message goes to spans as well as logs.
func errText(err error) string { return redactURLs(err.Error()) }

// redactURLs returns s with every URL in it ("scheme://...", up to a space, quote or angle bracket)
// redacted as url.full is (internal/httpconv): user info and fragment removed, query values replaced by
// "REDACTED" with the keys kept ("?token=REDACTED&page=REDACTED"; a part without "=" is replaced whole).
// Text without "://" is returned as is, and so is text whose URLs have nothing to redact, without
// allocating.
func redactURLs(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for i >= 0 {
		start := i
		for start > 0 && isSchemeByte(s[start-1]) {
			start--
		}
		for start < i && !isLetter(s[start]) { // a scheme starts with a letter
			start++
		}
		end := i + len("://")
		for end < len(s) && !isURLEnd(s[end]) {
			end++
		}
		if start < i {
			if r, changed := redactURL(s[start:end], i-start); changed {
				if b.Len() == 0 {
					b.Grow(len(s) + 16)
				}
				b.WriteString(s[done:start])
				b.WriteString(r)
				done = end
			}
		}
		next := strings.Index(s[end:], "://")
		if next < 0 {
			break
		}
		i = end + next
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// redactURL redacts one URL u whose "://" is at sep; it reports whether anything changed.
func redactURL(u string, sep int) (string, bool) {
	auth := sep + len("://")
	host, rest := u[auth:], ""
	if j := strings.IndexAny(host, "/?#"); j >= 0 {
		host, rest = host[:j], host[j:]
	}
	changed := false
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host, changed = host[at+1:], true
	}
	rest, _, hasFragment := strings.Cut(rest, "#")
	path, query, hasQuery := strings.Cut(rest, "?")
	if query != "" {
		query, changed = httpconv.RedactQuery(query), true
	}
	if hasFragment {
		changed = true // dropped, as from url.full: it may hold a token ("#access_token=...")
	}
	if !changed {
		return u, false
	}
	var b strings.Builder
	b.Grow(len(u) + 16)
	b.WriteString(u[:auth])
	b.WriteString(host)
	b.WriteString(path)
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(query)
	}
	return b.String(), true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isSchemeByte reports whether c may be part of a URL scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
func isSchemeByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

// isURLEnd reports whether c ends a URL in free text: a space or control character, a quote or an
// angle bracket.
func isURLEnd(c byte) bool {
	return c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>'
}
