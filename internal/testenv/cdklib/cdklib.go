package cdklib

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/toolscript"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Version is the aws-cdk-lib version that bench/cdk/package.json pins
// (installed by scripts/install-npm.sh, once for the parity suite, the
// benchmarks and these tests). Keep them equal; a test checks it.
const Version = "2.276.0"

// ConstructsVersion is the constructs version bench/cdk/package.json pins.
const ConstructsVersion = "10.8.1"

// EnvVar names the environment variable that, when set, holds the path of
// a node_modules directory with aws-cdk-lib and constructs.
const EnvVar = "EKSFORGE_CDK_LIB"

// UnavailableEnvVar names the environment variable that, when set (to the
// reason), says the library could not be installed for lack of network:
// [NodeModules] then skips at once.
const UnavailableEnvVar = "EKSFORGE_CDK_LIB_UNAVAILABLE"

// Timeout bounds one [Synth]: a guard against a hung node, not a speed
// requirement. On 2 cores shared with other builds (load about 17), five
// syntheses side by side (go test runs the aws/* packages in parallel)
// took 65 to 100 s each, and over 180 s with more going on, so the bound
// is generous; go test's own -timeout still bounds the run.
const Timeout = 10 * time.Minute

var install struct {
	once    sync.Once
	path    string
	offline bool
	err     error
}

// NodeModules returns the node_modules directory holding aws-cdk-lib and
// constructs, installing them on first use (see the package doc). When the
// npm registry cannot be reached the test is skipped, or fails when CI=true;
// any other problem fails the test.
func NodeModules(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvVar); p != "" {
		if _, err := os.Stat(filepath.Join(p, "aws-cdk-lib")); err != nil {
			t.Fatalf("cdklib: %s=%q has no aws-cdk-lib: %v", EnvVar, p, err)
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
		t.Fatalf("cdklib: unable to install aws-cdk-lib %s: %v", Version, install.err)
	}
	return install.path
}

func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	unavailable.SkipOrFail(t, unavailable.Tool{
		Source:  "cdklib",
		What:    fmt.Sprintf("aws-cdk-lib %s is not installed and npm cannot reach its registry", Version),
		Reason:  reason,
		Skipped: "Tests that compare with the AWS CDK",
		Remedy:  "Run `bash scripts/install-npm.sh bench/cdk` once online.",
		CINeeds: "reach the npm registry",
	})
}

func doInstall() {
	path, err := toolscript.Run(15*time.Minute, "scripts/install-npm.sh", "bench/cdk")
	if err != nil {
		install.offline = errors.Is(err, toolscript.ErrOffline)
		install.err = err
		return
	}
	if _, err := os.Stat(filepath.Join(path, "aws-cdk-lib")); err != nil {
		install.err = fmt.Errorf("scripts/install-npm.sh printed %q, which holds no aws-cdk-lib: %w", path, err)
		return
	}
	install.path = path
}

// Synth runs the AWS CDK app jsFile with node and returns the directory of
// the cloud assembly it wrote (a temporary directory removed after the
// test). env adds KEY=VALUE pairs to the app's environment, e.g.
// CDK_CONTEXT_JSON or values the app reads. The app must call app.synth().
// A failing app fails the test with its output.
func Synth(t testing.TB, jsFile string, env ...string) (assemblyDir string) {
	t.Helper()
	modules := NodeModules(t)
	abs, err := filepath.Abs(jsFile)
	if err != nil {
		t.Fatalf("cdklib: %v", err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("cdklib: the app %s does not exist: %v", jsFile, err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", abs)
	cmd.Dir = filepath.Dir(abs)
	cmd.Env = append(os.Environ(),
		"NODE_PATH="+modules,
		"CDK_OUTDIR="+out,
		"CDK_DISABLE_VERSION_CHECK=1",
		"JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1",
		"JSII_DEPRECATED=quiet",
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("cdklib: node %s timed out after %s\n%s", jsFile, Timeout, toolscript.Tail(stderr.String(), 40))
	}
	if err != nil {
		t.Fatalf("cdklib: node %s: %v\nstdout:\n%s\nstderr:\n%s", jsFile, err, toolscript.Tail(stdout.String(), 40), toolscript.Tail(stderr.String(), 40))
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
		t.Fatalf("cdklib: node %s wrote no cloud assembly to CDK_OUTDIR (does it call app.synth()?): %v\nstderr:\n%s", jsFile, err, toolscript.Tail(stderr.String(), 40))
	}
	return out
}

// Template returns the template of the stack whose artifact id is stack
// (the construct id for a stack directly under the app) from a cloud
// assembly directory, decoded as JSON.
func Template(t testing.TB, dir, stack string) map[string]any {
	t.Helper()
	path := filepath.Join(dir, stack+".template.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cdklib: no template for stack %q in %s: %v", stack, dir, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("cdklib: %s is not JSON: %v", path, err)
	}
	return m
}
