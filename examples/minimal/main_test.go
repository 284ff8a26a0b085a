package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/goldentemplate"

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
	goldentemplate.Check(t, *update, build)
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
