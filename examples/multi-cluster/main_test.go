package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/goldentemplate"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdkcli"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// TestGoldenTemplates compares each stack's template with
// testdata/<stack>.template.json (cfn-lint checks those files once for all
// examples, in examples/eks_lint_test.go).
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	goldentemplate.Check(t, *update, build)
}

// TestAWSCDKCLIReadsTheAssembly writes the assembly to disk and has the
// AWS CDK CLI list and synthesize it: an EKS app of eksforge deploys with
// the stock CLI.
func TestAWSCDKCLIReadsTheAssembly(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the AWS CDK CLI; skipped with -short")
	}
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: dir})
	build(app)
	if _, err := app.Synth(); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := cdkcli.Run(t, "ls", "--app", dir)
	if err != nil {
		t.Fatalf("cdk ls: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "MultiCluster") {
		t.Errorf("cdk ls output lacks MultiCluster:\n%s", stdout)
	}
	stdout, stderr, err = cdkcli.Run(t, "synth", "--app", dir, "MultiCluster")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, stderr)
	}
	if strings.Count(stdout, "Type: AWS::EKS::Cluster") != 3 {
		t.Errorf("cdk synth output does not show 3 clusters:\n%.2000s", stdout)
	}
}
