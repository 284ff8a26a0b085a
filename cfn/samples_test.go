package cfn_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

// lintExceptions are cfn-lint errors the placeholder samples are known to
// draw, by resource logical-ID prefix and rule, each with the reason it
// cannot be avoided with placeholder values.
var lintExceptions = map[string]string{
	"ResourcePolicy E3006": "AWS::Lambda::ResourcePolicy is not offered in us-east-1, the region cfn-lint checks against (its schema comes from another region's bundle)",
}

// TestSamplesPassCfnLint synthesizes one resource of every generated type,
// with its required properties set to placeholders (samples_gen_test.go,
// written by the generator), and lints the templates with cfn-lint.
func TestSamplesPassCfnLint(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	addSamples(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	dir := t.TempDir()
	var paths []string
	resources := 0
	for _, s := range asm.Stacks {
		p := filepath.Join(dir, s.ID+".template.json")
		if err := os.WriteFile(p, s.TemplateJSON(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		res, _ := s.Template()["Resources"].(map[string]any)
		resources += len(res)
	}
	if resources < 200 {
		t.Fatalf("only %d sample resources; want one per generated type", resources)
	}
	findings, err := cfnlint.Findings(paths...)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var errs []string
	for _, f := range findings {
		if !f.IsError() {
			continue
		}
		key := ""
		if len(f.Path) > 1 && f.Path[0] == "Resources" {
			key = fmt.Sprintf("%s %s", f.Path[1], f.Rule)
		}
		if _, ok := lintExceptions[key]; ok {
			used[key] = true
			continue
		}
		errs = append(errs, fmt.Sprintf("  %q: %s", key, f))
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		t.Errorf("cfn-lint found %d error(s) in the samples of %d resource types:\n%s", len(errs), resources, strings.Join(errs, "\n"))
	}
	for k := range lintExceptions {
		if !used[k] {
			t.Errorf("the lint exception %q is no longer needed; remove it", k)
		}
	}
	t.Logf("linted %d sample resources in %d templates", resources, len(paths))
}
