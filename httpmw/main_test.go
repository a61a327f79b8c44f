package httpmw_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a server, connection or exporter goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
