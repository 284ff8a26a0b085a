// Package toolscript runs the repository's tool scripts from tests:
// scripts/install-npm.sh (the AWS CDK CLI for internal/testenv/cdkcli,
// aws-cdk-lib for internal/testenv/cdklib) and scripts/build-kube-binaries.sh
// (kube-apiserver and etcd for internal/testenv/kubeenv). Each installs or
// builds a test tool into the cache outside the repository, once per
// machine, and prints the directory it used as the last line of its
// standard output; each exits with [OfflineExit] when the network it needs
// (npm's registry, the Go module proxy) cannot be reached, so that the
// tests needing the tool are skipped (failed when CI=true; see
// internal/testenv/unavailable) rather than failed.
//
// It is test tooling only.
package toolscript

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// OfflineExit is the exit status of the tool scripts when the network they
// need cannot be reached.
const OfflineExit = 3

// ErrOffline is wrapped by [Run]'s error when the script exited with
// [OfflineExit].
var ErrOffline = errors.New("the network the script needs cannot be reached")

// stderrLines is how much of a failed script's standard error [Run]'s
// error carries.
const stderrLines = 40

// Run runs `bash <script> args...` from the module root (script is a path
// relative to it, e.g. "scripts/install-npm.sh"), bounded by timeout, and
// returns the last line of its standard output, trimmed.
// Its error names the script, carries the last lines of its standard
// error and wraps [ErrOffline] when the script exited with [OfflineExit].
func Run(timeout time.Duration, script string, args ...string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, script)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{path}, args...)...)
	cmd.Dir = root
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == OfflineExit {
			err = fmt.Errorf("%w: %w", ErrOffline, err)
		}
		return "", fmt.Errorf("%s: %w\n%s", path, err, Tail(stderr.String(), stderrLines))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// ModuleRoot walks up from the working directory (a package directory
// under go test) to the directory that holds go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("unable to find the module root: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("unable to find the module root: no go.mod in %s or above", dir)
		}
	}
}

// Tail returns the last n lines of s (all of s when n <= 0).
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if n > 0 && len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
