package motoserver

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill the server when the test process dies,
// so a test binary killed by its timeout leaves no moto behind.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// terminate asks p to exit.
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }
