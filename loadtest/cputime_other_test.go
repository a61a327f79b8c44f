//go:build !unix

package loadtest_test

import "time"

// processCPU is not measured on this platform: it returns 0, and so do the CPU figures.
func processCPU() time.Duration { return 0 }
