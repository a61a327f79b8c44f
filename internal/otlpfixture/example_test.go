package otlpfixture_test

import (
	"fmt"

	"github.com/otelkit/otelkit/internal/otlpfixture"
)

// The fixtures are fresh messages on every call, so a test may change one without affecting another.
func Example() {
	req := otlpfixture.Traces()
	spans := 0
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			spans += len(ss.GetSpans())
		}
	}
	req.ResourceSpans = nil
	fmt.Println(spans > 0, len(otlpfixture.Traces().GetResourceSpans()) > 0)
	// Output: true true
}
