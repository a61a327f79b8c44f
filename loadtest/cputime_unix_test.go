//go:build unix

package loadtest_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system, all threads, GC included) the process has used so far.
// On a shared machine it measures cost better than wall time, which also counts waiting for other processes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
