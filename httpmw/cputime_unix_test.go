//go:build unix

package httpmw_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system, all threads, GC included) the process has used. On a
// shared machine it measures a benchmark's cost better than wall time, which counts time spent waiting for
// other processes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
