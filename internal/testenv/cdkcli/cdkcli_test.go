package cdkcli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/internal/testenv/cdkcli"
	"github.com/eksforge/eksforge/internal/testenv/unavailable"
)

// writeAssembly writes a hand-made cloud assembly with one stack, stackID,
// holding one AWS::SNS::Topic, and returns its directory.
//
// The manifest holds exactly what the CLI requires of a stack (see the
// package doc): "version" (semver, major <= 55), and per stack artifact
// "type": "aws:cloudformation:stack", "environment": "aws://ACCOUNT/REGION"
// and "properties.templateFile". Everything else is optional.
func writeAssembly(t *testing.T, schemaVersion, stackID string) string {
	t.Helper()
	dir := t.TempDir()
	manifest := map[string]any{
		"version": schemaVersion,
		"artifacts": map[string]any{
			stackID: map[string]any{
				"type":        "aws:cloudformation:stack",
				"environment": "aws://unknown-account/unknown-region",
				"properties": map[string]any{
					"templateFile": stackID + ".template.json",
				},
			},
		},
	}
	template := map[string]any{
		"Resources": map[string]any{
			"Topic": map[string]any{"Type": "AWS::SNS::Topic"},
		},
	}
	writeJSON(t, filepath.Join(dir, "manifest.json"), manifest)
	writeJSON(t, filepath.Join(dir, stackID+".template.json"), template)
	return dir
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestListsAndSynthesizesHandMadeAssembly(t *testing.T) {
	t.Parallel()
	dir := writeAssembly(t, cdkcli.SchemaVersion, "TopicStack")

	stdout, stderr, err := cdkcli.Run(t, "ls", "--app", dir)
	if err != nil {
		t.Fatalf("cdk ls: %v\nstderr:\n%s", err, stderr)
	}
	if got := strings.Fields(stdout); !slices.Equal(got, []string{"TopicStack"}) {
		t.Errorf("cdk ls printed %q, want the one stack TopicStack\nstderr:\n%s", stdout, stderr)
	}

	stdout, stderr, err = cdkcli.Run(t, "synth", "--app", dir, "TopicStack")
	if err != nil {
		t.Fatalf("cdk synth: %v\nstderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "Type: AWS::SNS::Topic") {
		t.Errorf("cdk synth printed %q, want the template's AWS::SNS::Topic as YAML", stdout)
	}
}

func TestFailsOnNewerSchemaVersion(t *testing.T) {
	t.Parallel()
	// SchemaVersion is the highest the CLI reads: the next major is refused.
	// If this test fails after a CLI upgrade, raise SchemaVersion and the
	// package doc.
	dir := writeAssembly(t, "56.0.0", "TopicStack")
	_, stderr, err := cdkcli.Run(t, "ls", "--app", dir)
	if err == nil {
		t.Fatal("cdk ls read a schema 56.0.0 assembly, want a version mismatch")
	}
	if want := "Maximum schema version supported is 55.x.x"; !strings.Contains(stderr, want) {
		t.Errorf("cdk ls stderr = %q, want it to contain %q", stderr, want)
	}
}

func TestRunsPinnedVersion(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := cdkcli.Run(t, "--version")
	if err != nil {
		t.Fatalf("cdk --version: %v\nstderr:\n%s", err, stderr)
	}
	if !strings.HasPrefix(stdout, cdkcli.Version+" ") {
		t.Errorf("cdk --version = %q, want version %s", stdout, cdkcli.Version)
	}
}

func TestPackageJsonPinsVersion(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), cdkcli.PackageDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if got := pkg.Dependencies["aws-cdk"]; got != cdkcli.Version {
		t.Errorf("%s/package.json pins aws-cdk@%s, cdkcli.Version is %s: keep them equal", cdkcli.PackageDir, got, cdkcli.Version)
	}
}

func TestInstallScriptExitsThreeWhenRegistryIsUnreachable(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("npm"); err != nil {
		unavailable.SkipOrFail(t, unavailable.Tool{
			Source:  "cdkcli",
			What:    "npm is not installed",
			Reason:  err.Error(),
			Skipped: "TestInstallScriptExitsThreeWhenRegistryIsUnreachable",
			Remedy:  "Install Node.js and npm (Debian: `apt install npm`).",
			CINeeds: "have npm, which installs the AWS CDK CLI",
		})
	}
	// A version this machine's npm cache cannot hold, from a closed port.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "offline", "dependencies": {"aws-cdk": "2.0.0-does-not-exist"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(moduleRoot(t), "scripts", "install-npm.sh"), dir)
	cmd.Env = append(os.Environ(),
		"EKSFORGE_CACHE="+t.TempDir(),
		"npm_config_registry=http://127.0.0.1:9/",
		"npm_config_fetch_retries=0",
		"npm_config_cache="+t.TempDir(),
	)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("install-npm.sh with an unreachable registry: %v, want exit status 3\nstderr:\n%s", err, stderr.String())
	}
	if want := "npm cannot reach the registry"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr.String(), want)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}
