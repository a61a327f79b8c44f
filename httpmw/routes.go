package httpmw

import (
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// routeInfo is everything derived from one route template, computed once.
type routeInfo struct {
	route    string
	wildcard bool                        // route ends in "*": a chi mount, or a wildcard route
	attr     attribute.KeyValue          // http.route
	names    [httpconv.NumMethods]string // span names "{method} {route}", "HTTP {route}" for _OTHER
}

func newRouteInfo(route string) *routeInfo {
	ri := &routeInfo{route: route, wildcard: strings.HasSuffix(route, "*"), attr: semconv.HTTPRoute(route)}
	for m := range ri.names {
		ri.names[m] = httpconv.Method(m).SpanName() + " " + route
	}
	return ri
}

// maxRouteParts is how many chi routing patterns (one per nested router) a cache key holds; deeper nesting
// still works but joins the patterns on every request.
const maxRouteParts = 4

// routeKey identifies a route: chi's per-router patterns, a ServeMux pattern (mux set, in parts[0]), or a
// ServeMux pattern and a chi route combined (mux set, parts[0] and [1], n 2 when the ServeMux is outside,
// else 1). All
// come from the application's route table, so the keys are few.
type routeKey struct {
	parts [maxRouteParts]string
	n     uint8
	mux   bool
}

// routeCache maps routing patterns to their routeInfo.
type routeCache struct {
	c *httpconv.Cache[routeKey, *routeInfo]
}

func newRouteCache() routeCache {
	return routeCache{c: httpconv.NewCache[routeKey, *routeInfo](4096)}
}

// chi returns the route of chi's RoutePatterns, or nil when they make no route.
func (rc routeCache) chi(patterns []string) *routeInfo {
	var k routeKey
	if len(patterns) > maxRouteParts {
		k.parts[0], k.n = httpconv.JoinChiPatterns(patterns), 0xff
	} else {
		copy(k.parts[:], patterns)
		k.n = uint8(len(patterns))
	}
	if ri, ok := rc.c.Load(k); ok {
		return ri
	}
	route := k.parts[0]
	if k.n != 0xff {
		route = httpconv.JoinChiPatterns(patterns)
	}
	var ri *routeInfo
	if route != "" {
		ri = newRouteInfo(route)
	}
	return rc.c.LoadOrStore(k, ri)
}

// mux returns the route of a ServeMux pattern, or nil when it has none.
func (rc routeCache) mux(pattern string) *routeInfo {
	k := routeKey{mux: true}
	k.parts[0] = pattern
	if ri, ok := rc.c.Load(k); ok {
		return ri
	}
	var ri *routeInfo
	if route := httpconv.MuxRoute(pattern); route != "" {
		ri = newRouteInfo(route)
	}
	return rc.c.LoadOrStore(k, ri)
}

// both returns the route of a request that a ServeMux (pattern) and a chi router (ri) both routed, one
// inside the other:
//
//   - ServeMux outside (muxOuter): a prefix pattern's path ("/v2/", "/v2/{rest...}") is joined in front of
//     chi's route unless chi's route already starts with it: with http.StripPrefix("/v2", chiRouter)
//     between them, "/v2/" and "/things/{id}" give "/v2/things/{id}". An exact pattern is the whole route.
//   - chi outside: chi's route, unless it ends in a mount wildcard ("/legacy/*") and the ServeMux mounted
//     there recorded its more specific route.
func (rc routeCache) both(pattern string, ri *routeInfo, muxOuter bool) *routeInfo {
	k := routeKey{mux: true, n: 1}
	if muxOuter {
		k.n = 2
	}
	k.parts[0], k.parts[1] = pattern, ri.route
	if v, ok := rc.c.Load(k); ok {
		return v
	}
	return rc.c.LoadOrStore(k, combine(httpconv.MuxRoute(pattern), ri, muxOuter))
}

func combine(muxRoute string, ri *routeInfo, muxOuter bool) *routeInfo {
	if muxRoute == "" || muxRoute == ri.route {
		return ri
	}
	if muxOuter {
		base, prefix := muxBase(muxRoute)
		switch {
		case !prefix:
			return newRouteInfo(muxRoute)
		case hasPathPrefix(ri.route, base):
			return ri
		}
		return newRouteInfo(base + ri.route)
	}
	if ri.wildcard {
		return newRouteInfo(muxRoute)
	}
	return ri
}

// outerByPath reports whether the request path shows the ServeMux route outside the chi route: the path
// starts with the ServeMux route's literal prefix but not with chi's (which then saw it stripped).
func outerByPath(muxRoute, chiRoute, path string) bool {
	return strings.HasPrefix(path, literalPrefix(muxRoute)) && !strings.HasPrefix(path, literalPrefix(chiRoute))
}

// muxBase returns the path a prefix ServeMux route matches under, without its trailing slash ("/v2/" and
// "/v2/{rest...}" → "/v2"), and whether the route is a prefix route at all.
func muxBase(route string) (string, bool) {
	if strings.HasSuffix(route, "...}") {
		if i := strings.LastIndexByte(route, '{'); i >= 0 {
			return strings.TrimSuffix(route[:i], "/"), true
		}
	}
	if strings.HasSuffix(route, "/") {
		return strings.TrimSuffix(route, "/"), true
	}
	return "", false
}

// hasPathPrefix reports whether route is base or lies under it ("/v2/x" under "/v2"; "" is everything).
func hasPathPrefix(route, base string) bool {
	return strings.HasPrefix(route, base) && (len(route) == len(base) || route[len(base)] == '/')
}

// literalPrefix returns route up to its first wildcard ("{" or "*").
func literalPrefix(route string) string {
	if i := strings.IndexAny(route, "{*"); i >= 0 {
		return route[:i]
	}
	return route
}
