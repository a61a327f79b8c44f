package grpcmw

import (
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc/stats"
)

// Filter reports whether the RPC with the given full method
// ("/package.Service/Method") is instrumented: true records its span and
// metrics, false skips both. See [WithFilter].
type Filter func(fullMethod string) bool

// HealthService is the full name of the gRPC health checking service, whose
// RPCs are not instrumented by default.
const HealthService = "grpc.health.v1.Health"

const healthPrefix = "/" + HealthService + "/"

// reflectionPrefixes are the gRPC server reflection services (used by tools
// such as grpcurl), whose RPCs are not instrumented by default either.
var reflectionPrefixes = [...]string{
	"/grpc.reflection.v1.ServerReflection/",
	"/grpc.reflection.v1alpha.ServerReflection/",
}

// IsHealthCheck reports whether fullMethod is a method of the gRPC health
// checking service (/grpc.health.v1.Health/Check, /grpc.health.v1.Health/Watch
// and any other method of that service).
func IsHealthCheck(fullMethod string) bool { return strings.HasPrefix(fullMethod, healthPrefix) }

// IsReflection reports whether fullMethod is a method of the gRPC server
// reflection service (v1 or v1alpha).
func IsReflection(fullMethod string) bool {
	for _, p := range reflectionPrefixes {
		if strings.HasPrefix(fullMethod, p) {
			return true
		}
	}
	return false
}

// otelgrpcFilter combines the configured filters into one otelgrpc.Filter,
// or nil when every RPC is instrumented.
func (c *config) otelgrpcFilter() otelgrpc.Filter {
	if !c.health && len(c.filters) == 0 {
		return nil
	}
	f := &filterSet{health: c.health, filters: append([]Filter(nil), c.filters...)}
	return f.instrument
}

type filterSet struct {
	health  bool
	filters []Filter
}

func (f *filterSet) instrument(info *stats.RPCTagInfo) bool {
	if f.health && (IsHealthCheck(info.FullMethodName) || IsReflection(info.FullMethodName)) {
		return false
	}
	for _, fn := range f.filters {
		if !fn(info.FullMethodName) {
			return false
		}
	}
	return true
}
