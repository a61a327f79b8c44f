package httpconv

import "strings"

// MuxRoute returns the http.route of a net/http ServeMux pattern ("GET example.com/users/{id}" →
// "/users/{id}"): the pattern without its method and host, as otelhttp derives it from Request.Pattern.
// It returns "" for an empty pattern or one without a path.
func MuxRoute(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

// JoinChiPatterns returns the route template that chi's Context.RoutePattern builds from the routing
// patterns of each (sub-)router a request went through: joined, with the "/*/" of mounts collapsed and
// trailing slashes and "/*" trimmed. It allocates; callers cache its result.
func JoinChiPatterns(patterns []string) string {
	p := strings.Join(patterns, "")
	for strings.Contains(p, "/*/") {
		p = strings.ReplaceAll(p, "/*/", "/")
	}
	if p != "/" {
		p = strings.TrimSuffix(p, "//")
		p = strings.TrimSuffix(p, "/")
	}
	return p
}
