package cdkcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/toolscript"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is the aws-cdk CLI version that [PackageDir]/package.json pins
// (installed by scripts/install-npm.sh). Keep them equal; a test checks it.
// Keep it equal to the version pinned in that script.
const Version = "2.1148.1"

// PackageDir is the directory, relative to the module root, whose
// package.json pins the CLI.
const PackageDir = "internal/testenv/cdkcli"

// SchemaVersion is the highest cloud assembly schema version the CLI at
// [Version] reads: its bundled cloud-assembly-schema has revision 55.
const SchemaVersion = "55.0.0"

// EnvVar names the environment variable that, when set, holds the path of
// the cdk binary to use; `make test` sets it after installing the CLI.
const EnvVar = "EKSFORGE_CDK_CLI"

// UnavailableEnvVar names the environment variable that `make test` sets
// (to the reason) when it could not install the CLI because npm could not
// reach its registry. [Path] then skips at once instead of trying again.
const UnavailableEnvVar = "EKSFORGE_CDK_CLI_UNAVAILABLE"

// DefaultTimeout bounds one [Run] of the CLI when the test has no earlier
// deadline.
const DefaultTimeout = 5 * time.Minute

var install struct {
	once    sync.Once
	path    string // the cdk binary, when installed
	offline bool   // npm could not reach its registry
	err     error  // any failure, with the installer's output
}

// Path returns the path of the cdk CLI binary, installing the CLI on first
// use. It reads [EnvVar] first; otherwise it runs scripts/install-npm.sh
// from the module root, once per process. When the npm registry cannot be
// reached the test is skipped, or fails when CI=true; any other problem
// fails the test.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("cdkcli: %s=%q does not exist: %v", EnvVar, p, err)
		}
		return p
	}
	if reason := os.Getenv(UnavailableEnvVar); reason != "" {
		skipOrFail(t, reason)
	}
	install.once.Do(doInstall)
	switch {
	case install.offline:
		skipOrFail(t, install.err.Error())
	case install.err != nil:
		t.Fatalf("cdkcli: unable to install the AWS CDK CLI: %v", install.err)
	}
	return install.path
}

// unavailable skips the test (fails it when CI=true) because the CLI could
// not be installed for lack of network.
func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	unavailable.SkipOrFail(t, unavailable.Tool{
		Source:  "cdkcli",
		What:    fmt.Sprintf("the AWS CDK CLI %s is not installed and npm cannot reach its registry", Version),
		Reason:  reason,
		Skipped: "Tests that need the CLI",
		Remedy:  "Run `make cdk-cli` once online.",
		CINeeds: "reach the npm registry",
	})
}

func doInstall() {
	modules, err := toolscript.Run(15*time.Minute, "scripts/install-npm.sh", PackageDir)
	if err != nil {
		install.offline = errors.Is(err, toolscript.ErrOffline)
		install.err = err
		return
	}
	path := filepath.Join(modules, ".bin", "cdk")
	if _, err := os.Stat(path); err != nil {
		install.err = fmt.Errorf("scripts/install-npm.sh printed %q, which holds no .bin/cdk: %w", modules, err)
		return
	}
	install.path = path
}

// Env returns the environment for running the CLI: the process environment
// with the CLI's version check, telemetry and colours turned off.
func Env() []string {
	return append(os.Environ(),
		"CDK_DISABLE_VERSION_CHECK=1",
		"CDK_DISABLE_CLI_TELEMETRY=true",
		"FORCE_COLOR=0",
		"NO_COLOR=1",
	)
}

// Command returns an [exec.Cmd] for the cdk CLI with args, the environment
// of [Env] and the global option --no-notices put first (unless args already
// says --notices or --no-notices), for callers that need their own working
// directory, environment or streaming. It is killed when ctx is done.
func Command(ctx context.Context, t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, Path(t), withNoNotices(args)...)
	cmd.Env = Env()
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// withNoNotices puts --no-notices, a global option the CLI accepts before
// any command (and with --version), in front of args: notices are fetched
// from the internet and printed among the output.
func withNoNotices(args []string) []string {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--notices" || a == "--no-notices" || strings.HasPrefix(a, "--notices=") {
			return args
		}
	}
	return append([]string{"--no-notices"}, args...)
}

// Run runs the cdk CLI with args in the test's working directory and returns
// its output. err is non-nil when the CLI exits non-zero or runs past its
// timeout: [DefaultTimeout], or less to end before the test's own deadline.
// Run does not fail the test; callers decide what an error means.
func Run(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	timeout := DefaultTimeout
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			// Leave time to report the failure before go test kills us.
			if left := time.Until(deadline) - 10*time.Second; left < timeout {
				timeout = max(left, time.Second)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := Command(ctx, t, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("cdk %s: timed out after %s: %w", strings.Join(args, " "), timeout, ctx.Err())
	} else if err != nil {
		err = fmt.Errorf("cdk %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), err
}
