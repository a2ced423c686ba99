package redisbus_test

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the server that cmd starts get SIGKILL if the test
// process dies before stopping it (a panic, a timeout), so that no server
// outlives its test.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
