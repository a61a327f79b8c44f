package httpmw

import "github.com/otelkit/otelkit"

// ScopeName is the instrumentation scope name of the spans and metrics this package records: its import
// path.
const ScopeName = "github.com/otelkit/otelkit/httpmw"

// Version is the instrumentation scope version: the otelkit release this package belongs to.
const Version = otelkit.Version
