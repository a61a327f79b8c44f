package grpcmw

import "github.com/otelkit/otelkit"

// ScopeName is the import path of this package, the name it reports itself
// by. Spans and metrics are recorded by otelgrpc, so they carry otelgrpc's
// instrumentation scope (otelgrpc.ScopeName and otelgrpc.Version), which is
// what dashboards built for otelgrpc expect.
const ScopeName = "github.com/otelkit/otelkit/grpcmw"

// Version is the otelkit release this package belongs to.
const Version = otelkit.Version
