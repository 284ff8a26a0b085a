package cfngen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/internal/cfngen"
)

// repoRoot is the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// runSamples is the test the all-namespaces module runs: every sample
// synthesizes without error.
const runSamples = `package allcfn_test

import (
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

func TestAllSamplesSynthesize(t *testing.T) {
	app := cdk.NewApp(cdk.AppProps{})
	addSamples(app)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range asm.Stacks {
		res, _ := s.Template()["Resources"].(map[string]any)
		n += len(res)
	}
	t.Logf("synthesized %d resources in %d stacks", n, len(asm.Stacks))
}
`

// TestEveryNamespaceCompiles generates every namespace of the committed
// schemas, with samples of every resource type, into a temporary module
// that uses this repository through a replace directive, builds it, and
// runs a test synthesizing every sample (1,600 resources). It takes minutes on 2 cores; -short
// skips it.
func TestEveryNamespaceCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and compiles every namespace (minutes); skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	root := repoRoot(t)
	dir := t.TempDir()
	gomod := "module example.com/allcfn\n\ngo 1.26\n\nrequire " + cfngen.ModulePath + " v0.0.0\n\nreplace " + cfngen.ModulePath + " => " + root + "\n"
	files := map[string]string{
		"go.mod":              gomod,
		"doc.go":              "// Package allcfn holds every generated namespace, for a compile test.\npackage allcfn\n",
		"samples_run_test.go": runSamples,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	err := cfngen.Generate(cfngen.Options{
		SchemaDir:      filepath.Join(root, "internal", "cfngen", "schemas"),
		OutDir:         dir,
		SamplesFile:    filepath.Join(dir, "samples_gen_test.go"),
		ImportBase:     "example.com/allcfn",
		SamplesPackage: "allcfn_test",
	})
	if err != nil {
		t.Fatal(err)
	}
	pkgs, _ := filepath.Glob(filepath.Join(dir, "*", "doc.go"))
	t.Logf("generated %d packages in %v", len(pkgs), time.Since(start).Round(time.Millisecond))
	// go build compiles every package (-trimpath: the build cache then does
	// not depend on the temporary directory, so a second run is quick); go
	// test then compiles the samples
	// (vet off: vetting them would re-analyse all 284 packages, minutes
	// more; the committed packages are vetted by make vet).
	for _, args := range [][]string{{"build", "-trimpath", "./..."}, {"test", "-trimpath", "-vet=off", "-count=1", "."}} {
		start := time.Now()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Logf("go %s: %v", strings.Join(args, " "), time.Since(start).Round(time.Second))
	}
}
