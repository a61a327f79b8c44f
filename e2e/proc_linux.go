package e2e

import (
	"os/exec"
	"syscall"
)

// orphanGuard makes the kernel send the collector SIGTERM if the test
// process dies without stopping it (a test timeout panic, a kill), so that
// no collector outlives its test.
func orphanGuard(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
