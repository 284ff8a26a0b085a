package kubeenv

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill etcd and kube-apiserver when the test process dies,
// so a test binary killed by its timeout leaves neither behind.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// terminate asks p to exit.
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }
