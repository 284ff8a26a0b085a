package kubeenv

import (
	"errors"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/toolscript"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
	"os"
	"path/filepath"
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
	dir, err := toolscript.Run(BuildTimeout, "scripts/build-kube-binaries.sh")
	if err != nil {
		if errors.Is(err, toolscript.ErrOffline) {
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return "", fmt.Errorf("kubeenv: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err != nil {
		return "", fmt.Errorf("kubeenv: scripts/build-kube-binaries.sh printed %q, which holds no kube-apiserver: %w", dir, err)
	}
	return dir, nil
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
