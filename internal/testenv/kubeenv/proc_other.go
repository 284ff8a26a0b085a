//go:build !linux

package kubeenv

import (
	"os"
	"os/exec"
)

// setProcAttr does nothing: only Linux has a parent-death signal.
func setProcAttr(cmd *exec.Cmd) {}

// terminate asks p to exit; without SIGTERM on every platform, it kills it.
func terminate(p *os.Process) error { return p.Kill() }
