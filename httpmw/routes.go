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

// routeKey identifies a route: chi's per-router patterns, or a ServeMux pattern (mux set, in parts[0]).
// Both come from the application's route table, so the keys are few.
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
