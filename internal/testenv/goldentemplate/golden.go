// Package goldentemplate compares the templates an example synthesizes with
// its golden files (testdata/<stack>.template.json, rewritten with -update).
// Every example's test uses it. For stacks that hold the eks kubectl
// handler, the handler's code is replaced by a stub package
// (internal/testenv/kubectlstub) so tests do not build client-go and Helm,
// and its asset hash is written as "<kubectl-handler>" so the goldens do not
// change with the handler's sources.
package goldentemplate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/cfndiff"
)

// StubHandler is the stub kubectl handler package.
const StubHandler = "github.com/eksforge/eksforge/internal/testenv/kubectlstub"

// UseStubHandler points eks.KubectlHandlerPackage at the stub.
func UseStubHandler() { eks.KubectlHandlerPackage = StubHandler }

// Check synthesizes the app build makes and compares each stack's template
// with its golden file testdata/<stack>.template.json; a mismatch prints a
// line diff, and a golden file no stack matches fails the test too. With
// update it rewrites the goldens and removes the stale ones instead.
func Check(t *testing.T, update bool, build func(*cdk.App)) *cdk.CloudAssembly {
	t.Helper()
	UseStubHandler()
	app := cdk.NewApp(cdk.AppProps{Outdir: t.TempDir()})
	build(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, s := range asm.Stacks {
		got[s.TemplateFile] = Normalize(s.TemplateJSON())
	}
	compare(t, "testdata", got, update)
	return asm
}

// compare checks the golden files in dir against got (file name ->
// template), or rewrites them when update is set.
func compare(t testing.TB, dir string, got map[string][]byte, update bool) {
	t.Helper()
	stale, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range stale {
		if _, ok := got[filepath.Base(path)]; ok {
			continue
		}
		if update {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s matches no stack of the app (a renamed or removed stack?): run go test -update to remove it", path)
	}
	names := make([]string, 0, len(got))
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		golden := filepath.Join(dir, name)
		if update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%v (run go test -update to create it)", err)
			continue
		}
		if !bytes.Equal(got[name], want) {
			t.Errorf("%s differs from %s (run go test -update and review the diff); - golden, + synthesized:\n%s",
				name, golden, diff(string(want), string(got[name])))
		}
	}
}

// maxDiffLines bounds the diff a mismatch prints.
const maxDiffLines = 200

func diff(want, got string) string {
	lines := cfndiff.LineDiff(want, got)
	if len(lines) > maxDiffLines {
		n := len(lines) - maxDiffLines
		lines = append(lines[:maxDiffLines:maxDiffLines], fmt.Sprintf("... %d more diff lines", n))
	}
	return strings.Join(lines, "\n")
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
