package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// TestGoldenTemplates compares each stack's template with
// testdata/<stack>.template.json (cfn-lint checks those files once for all
// examples, in examples/eks_lint_test.go).
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{Outdir: t.TempDir()})
	build(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range asm.Stacks {
		got := s.TemplateJSON()
		golden := filepath.Join("testdata", s.TemplateFile)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
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
			t.Errorf("%s differs from %s (run go test -update and review the diff):\n%s", s.TemplateFile, golden, got)
		}
	}
}
