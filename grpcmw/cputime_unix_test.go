//go:build unix

package grpcmw_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system, every thread, GC
// included) the process has used so far. On a shared machine it measures a
// benchmark's cost better than wall time, which also counts the time spent
// waiting for other processes to yield the CPU.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
