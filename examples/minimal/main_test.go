package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdkcli"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

func synthTo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: dir})
	build(app)
	if _, err := app.Synth(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	dir := synthTo(t)
	for _, name := range []string{"MinimalNetwork.template.json", "MinimalApp.template.json"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", name, golden, got)
		}
	}
}

func TestTemplatesPassCfnLint(t *testing.T) {
	t.Parallel()
	cfnlint.LintDir(t, synthTo(t))
}

func TestAWSCDKCLIReadsTheAssembly(t *testing.T) {
	t.Parallel()
	dir := synthTo(t)
	stdout, stderr, err := cdkcli.Run(t, "ls", "--app", dir)
	if err != nil {
		t.Fatalf("cdk ls: %v\n%s", err, stderr)
	}
	for _, s := range []string{"MinimalNetwork", "MinimalApp"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("cdk ls output lacks %s:\n%s", s, stdout)
		}
	}
	stdout, stderr, err = cdkcli.Run(t, "synth", "--app", dir, "MinimalApp")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "Fn::ImportValue") {
		t.Errorf("cdk synth output lacks the import:\n%s", stdout)
	}
}
