package propagation_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that the gRPC and HTTP servers the tests start are gone.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
