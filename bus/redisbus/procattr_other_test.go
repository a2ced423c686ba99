//go:build !linux

package redisbus_test

import "os/exec"

// dieWithTest does nothing where the system cannot tie a child's life to its
// parent's: the tests stop their servers at cleanup.
func dieWithTest(*exec.Cmd) {}
