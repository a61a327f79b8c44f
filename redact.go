package otelkit

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// redacted replaces secrets in text that came from outside: a collector or proxy may echo the credential it
// rejected ("invalid credentials: Bearer sk-..."), and that text goes into errors and logs.
const redacted = "[REDACTED]"

// newRedactor returns a function that removes the configured header values (and the long tokens inside
// them) and the endpoint's credentials (user info, its Basic form, query values) from s. Nil when there is
// nothing to hide.
func newRedactor(headers []header, endpoint *url.URL) func(string) string {
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
	if endpoint != nil {
		if u := endpoint.User; u != nil {
			pw, _ := u.Password()
			add(u.String()) // "user:password", escaped as in the URL
			if pw != "" {
				add(u.Username() + ":" + pw)
			}
			add(pw)
			if len(u.Username()) >= 8 { // a token used as the user name
				add(u.Username())
			}
			add(base64.StdEncoding.EncodeToString([]byte(u.String()))) // as an Authorization: Basic value
			if pw != "" {
				add(base64.StdEncoding.EncodeToString([]byte(u.Username() + ":" + pw)))
			}
		}
		add(endpoint.RawQuery)
		for _, vs := range endpoint.Query() {
			for _, v := range vs {
				add(v)
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

// redactedError is a transport error whose text has been redacted. It unwraps to the original, so that
// errors.Is and errors.As still see it (its own Error text is not redacted).
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
