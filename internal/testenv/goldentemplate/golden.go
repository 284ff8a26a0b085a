// Package goldentemplate compares the templates an example synthesizes with
// its golden files (testdata/<stack>.template.json, rewritten with -update),
// for examples whose stacks hold the eks kubectl handler: the handler's code
// is replaced by a stub package (internal/testenv/kubectlstub) so tests do
// not build client-go and Helm, and its asset hash is written as
// "<kubectl-handler>" so the goldens do not change with the handler's
// sources.
package goldentemplate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// StubHandler is the stub kubectl handler package.
const StubHandler = "github.com/eksforge/eksforge/internal/testenv/kubectlstub"

// UseStubHandler points eks.KubectlHandlerPackage at the stub.
func UseStubHandler() { eks.KubectlHandlerPackage = StubHandler }

// Check synthesizes the app build makes and compares each stack's template
// with its golden file; update rewrites the goldens.
func Check(t *testing.T, update bool, build func(*cdk.App)) *cdk.CloudAssembly {
	t.Helper()
	UseStubHandler()
	app := cdk.NewApp(cdk.AppProps{Outdir: t.TempDir()})
	build(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range asm.Stacks {
		got := Normalize(s.TemplateJSON())
		golden := filepath.Join("testdata", s.TemplateFile)
		if update {
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
	return asm
}

// Normalize replaces the asset hashes of the kubectl and Helm handlers in
// a template.
func Normalize(tmpl []byte) []byte {
	var m map[string]any
	if err := json.Unmarshal(tmpl, &m); err != nil {
		return tmpl
	}
	res, _ := m["Resources"].(map[string]any)
	out := string(tmpl)
	for _, r := range res {
		rm, _ := r.(map[string]any)
		md, _ := rm["Metadata"].(map[string]any)
		path, _ := md["aws:cdk:path"].(string)
		name := ""
		switch {
		case rm["Type"] != "AWS::Lambda::Function":
		case strings.HasSuffix(path, "KubectlProvider/Handler/Resource"):
			name = "<kubectl-handler>"
		case strings.HasSuffix(path, "KubectlProvider/HelmHandler/Resource"):
			name = "<helm-handler>"
		}
		if ap, _ := md["aws:asset:path"].(string); ap != "" && name != "" {
			hash := strings.TrimSuffix(strings.TrimPrefix(ap, "asset."), ".zip")
			out = strings.ReplaceAll(out, hash, name)
		}
	}
	return []byte(out)
}
