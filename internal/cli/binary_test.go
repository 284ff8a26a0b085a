package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinary builds cmd/eksforge as `go install` would and runs it as a
// user does: help, and a diff with no credentials anywhere (a clean
// environment, no shared files, no instance metadata), which must say so
// clearly instead of failing somewhere inside the SDK.
func TestBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "eksforge")
	build := exec.Command("go", "build", "-o", bin, "./cmd/eksforge")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/eksforge: %v\n%s", err, out)
	}

	out, err := exec.Command(bin, "help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "eksforge <command> [arguments]") {
		t.Errorf("eksforge help: %v\n%s", err, out)
	}

	asm := synth(t, network{stack: "CliBinary"}.build)
	cmd := exec.Command(bin, "diff", "--app", asm, "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1")
	home := t.TempDir()
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	}
	out, err = cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("eksforge diff without credentials: exit %d\n%s", code, out)
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	for _, w := range []string{"eksforge diff: no AWS credentials", "AWS_PROFILE", "aws sso login", "AWS_ACCESS_KEY_ID"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("output does not contain %q", w)
		}
	}
}
