package otelkit

import (
	"sort"
	"strings"
)

// redacted replaces secrets in text that came from outside: a collector or proxy may echo the credential it
// rejected ("invalid credentials: Bearer sk-..."), and that text goes into errors and logs.
const redacted = "[REDACTED]"

// newRedactor returns a function that removes the configured header values, and the long tokens inside
// them, from s. Nil when there are no headers.
func newRedactor(headers []header) func(string) string {
	var secrets []string
	seen := map[string]bool{}
	add := func(s string) {
		if len(s) >= 4 && !seen[s] {
			seen[s] = true
			secrets = append(secrets, s)
		}
	}
	for _, h := range headers {
		v := strings.TrimSpace(h.value)
		add(v)
		for _, tok := range strings.FieldsFunc(v, func(r rune) bool {
			return r == ' ' || r == '\t' || r == ',' || r == ';' || r == ':' || r == '"'
		}) {
			if len(tok) >= 6 { // "Bearer" or "Basic" alone are not secrets; the token after them is
				add(tok)
			}
		}
	}
	if len(secrets) == 0 {
		return nil
	}
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	return func(s string) string {
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, redacted)
			}
		}
		return s
	}
}
