package kubeenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// KubernetesVersion is the k8s.io/kubernetes version whose kube-apiserver
// scripts/build-kube-binaries.sh builds by default. Keep it equal to the
// default in that script.
const KubernetesVersion = "v1.37.2"

// EtcdVersion is the go.etcd.io/etcd/server/v3 version whose etcd
// scripts/build-kube-binaries.sh builds by default. Keep it equal to the
// default in that script.
const EtcdVersion = "v3.6.6"

// BinariesEnvVar names the environment variable that, when set, holds the
// directory with the kube-apiserver and etcd binaries to run; `make test`
// sets it after building them.
const BinariesEnvVar = "EKSFORGE_KUBE_BINARIES"

// UnavailableEnvVar names the environment variable that `make test` sets
// (to the reason) when it could not build the binaries because the Go
// module proxy could not be reached. The tests then skip at once (fail when
// CI=true) instead of trying again.
const UnavailableEnvVar = "EKSFORGE_KUBE_BINARIES_UNAVAILABLE"

// BuildTimeout bounds scripts/build-kube-binaries.sh when a test process
// runs it: a cold build takes about 5 minutes on 2 cores.
const BuildTimeout = 20 * time.Minute

// ErrUnavailable is wrapped by errors of [New] and [Binaries] when the
// binaries are not built and cannot be: the Go module proxy is unreachable.
// [Start], [Shared] and [BinaryDir] then skip the test, or fail it when
// CI=true.
var ErrUnavailable = errors.New("kube-apiserver and etcd are not available")

// offlineExit is the exit status of scripts/build-kube-binaries.sh when the
// Go module proxy cannot be reached.
const offlineExit = 3

var build struct {
	once sync.Once
	dir  string
	err  error
}

// Binaries returns the directory holding the kube-apiserver and etcd
// binaries. It reads [BinariesEnvVar] first; otherwise it runs
// scripts/build-kube-binaries.sh from the module root, once per process,
// which builds them into the cache if they are not there yet (about 5
// minutes) and prints their directory. When they cannot be built for lack
// of network the error wraps [ErrUnavailable].
func Binaries() (string, error) {
	if dir := os.Getenv(BinariesEnvVar); dir != "" {
		for _, name := range []string{"kube-apiserver", "etcd"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return "", fmt.Errorf("kubeenv: %s=%q lacks %s: %w", BinariesEnvVar, dir, name, err)
			}
		}
		return dir, nil
	}
	if reason := os.Getenv(UnavailableEnvVar); reason != "" {
		return "", fmt.Errorf("%w: %s", ErrUnavailable, reason)
	}
	build.once.Do(func() { build.dir, build.err = runBuildScript() })
	return build.dir, build.err
}

// BinaryDir is [Binaries] for tests: it skips the test when the binaries
// cannot be built for lack of network (fails it when CI=true), and fails it
// on any other error.
func BinaryDir(t testing.TB) string {
	t.Helper()
	dir, err := Binaries()
	if err != nil {
		fail(t, err)
	}
	return dir
}

func runBuildScript() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	script := filepath.Join(root, "scripts", "build-kube-binaries.sh")
	ctx, cancel := context.WithTimeout(context.Background(), BuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = root
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == offlineExit {
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return "", fmt.Errorf("kubeenv: %s: %w\n%s", script, err, tail(stderr.String(), 40))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	dir := strings.TrimSpace(lines[len(lines)-1])
	if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err != nil {
		return "", fmt.Errorf("kubeenv: %s printed %q, which holds no kube-apiserver: %w", script, dir, err)
	}
	return dir, nil
}

// moduleRoot walks up from the working directory (a package directory under
// go test) to the directory that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("kubeenv: unable to find the module root: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("kubeenv: unable to find the module root: no go.mod in %s or above", dir)
		}
	}
}

// fail skips t (fails it when CI=true) for ErrUnavailable, else fails it.
func fail(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, ErrUnavailable) {
		t.Fatal(err)
	}
	unavailable.SkipOrFail(t, unavailable.Tool{
		Source:  "kubeenv",
		What:    fmt.Sprintf("kube-apiserver %s and etcd %s are not built and cannot be", KubernetesVersion, EtcdVersion),
		Reason:  err.Error(),
		Skipped: "Tests that need a Kubernetes API server",
		Remedy:  "Run `make kube-binaries` once online.",
		CINeeds: "reach the Go module proxy",
	})
}

// tail returns the last n lines of s (all of s when n <= 0).
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if n > 0 && len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
