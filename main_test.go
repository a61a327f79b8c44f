package otelkit_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv("OTELKIT_HELPER_MAIN") == "1" {
		os.Exit(mainProgram()) // the child process of TestMainStyleProgram
	}
	goleak.VerifyTestMain(m)
}
