package kubeenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// process is one running etcd or kube-apiserver.
type process struct {
	name    string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	waitErr error         // valid once exited is closed
}

// startProcess starts bin with args, appending its output to logPath after a
// header line.
func startProcess(bin string, args []string, dir, logPath string) (*process, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child holds its own descriptor
	fmt.Fprintf(logFile, "==== %s: %s %s\n", time.Now().UTC().Format(time.RFC3339Nano), bin, strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = processEnv(os.Environ())
	cmd.Stdout, cmd.Stderr = logFile, logFile
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("unable to start %s: %w", bin, err)
	}
	p := &process{name: filepath.Base(bin), cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// processEnv returns env without ETCD_* variables, which etcd reads as
// flags (ETCD_DATA_DIR, ETCD_LISTEN_CLIENT_URLS, ...), so a developer's etcd
// settings cannot leak into a test's etcd.
func processEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ETCD_") {
			out = append(out, kv)
		}
	}
	return out
}

// running reports whether the process has not exited yet.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stop sends SIGTERM (a kill where unsupported), waits up to grace, then
// kills the process.
func (p *process) stop(grace time.Duration) error {
	if !p.running() {
		return nil
	}
	if err := terminate(p.cmd.Process); err != nil {
		p.cmd.Process.Kill()
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
	}
	p.cmd.Process.Kill()
	select {
	case <-p.exited:
		return fmt.Errorf("%s did not exit within %s of SIGTERM; killed", p.name, grace)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%s (pid %d) did not exit after SIGKILL", p.name, p.cmd.Process.Pid)
	}
}

// freePorts returns n distinct TCP ports on 127.0.0.1 that were free a
// moment ago.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("unable to find a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
