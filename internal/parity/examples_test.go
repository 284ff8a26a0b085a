package parity_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eksforge/eksforge/internal/parity"
)

// Environment of TestExamplesMatchAwsCdkLib.
const (
	// envGoSide chooses how eksforge's side is obtained: "golden" (the
	// default: examples/<name>/testdata/*.template.json, which each
	// example's own test keeps equal to what it synthesizes) or "synth"
	// (build every example and run it, as `make parity` does).
	envGoSide = "EKSFORGE_PARITY_GO"
	// envReport names a file the report is also written to.
	envReport = "EKSFORGE_PARITY_REPORT"
	// envExamples restricts the run to a comma-separated list of examples
	// (the check for stale docs/parity.md rows is then skipped).
	envExamples = "EKSFORGE_PARITY_EXAMPLES"
	// envNodeModules names a node_modules directory with bench/cdk's
	// packages, instead of the one internal/testenv/cdklib installs.
	envNodeModules = "EKSFORGE_BENCH_CDK"
)

// TestExamplesMatchAwsCdkLib synthesizes every example under examples/ and
// its aws-cdk-lib counterpart bench/cdk/<example>/app.js, compares them
// semantically (package doc) and fails on every difference that
// docs/parity.md does not list as intended, on every row of docs/parity.md
// that lists nothing, and on every example without a counterpart.
func TestExamplesMatchAwsCdkLib(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes every example with aws-cdk-lib (node); skipped with -short")
	}
	root := moduleRoot(t)
	examples := listExamples(t, root)
	restricted := false
	if only := os.Getenv(envExamples); only != "" {
		examples, restricted = strings.Split(only, ","), true
	}
	var runnable []string
	for _, ex := range examples {
		if _, err := os.Stat(filepath.Join(root, "bench", "cdk", ex, "app.js")); err != nil {
			t.Errorf("examples/%s has no aws-cdk-lib counterpart: write bench/cdk/%s/app.js (the same app in JavaScript, same stack names and construct ids)", ex, ex)
			continue
		}
		runnable = append(runnable, ex)
	}
	f, err := os.Open(filepath.Join(root, "docs", "parity.md"))
	if err != nil {
		t.Fatal(err)
	}
	intended, err := parity.ParseIntended(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}

	modules := nodeModules(t, root)
	start := time.Now()
	cdkDir := synthCdk(t, root, modules, runnable)
	t.Logf("aws-cdk-lib: %d apps in one node process in %s", len(runnable), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	ours := oursSide(t, root, runnable)
	t.Logf("eksforge (%s): %s", goSide(), time.Since(start).Round(time.Millisecond))

	var report bytes.Buffer
	var results []parity.Result
	for _, ex := range runnable {
		cdk, err := parity.LoadAssembly(filepath.Join(cdkDir, ex))
		if err != nil {
			t.Errorf("%s: %v", ex, err)
			continue
		}
		o, err := ours(ex)
		if err != nil {
			t.Errorf("%s: %v", ex, err)
			continue
		}
		res := parity.Compare(ex, cdk, o)
		parity.Classify(&res, intended)
		results = append(results, res)
		parity.WriteReport(&report, res)
	}
	summary(&report, results)
	t.Log("\n" + report.String())
	if p := os.Getenv(envReport); p != "" {
		if err := os.WriteFile(p, report.Bytes(), 0o644); err != nil {
			t.Error(err)
		}
	}
	for _, res := range results {
		if un := res.Unlisted(); len(un) > 0 {
			var rows []string
			for _, d := range un {
				rows = append(rows, fmt.Sprintf("  %s %s %s %s: %s %s, %s %s\n    %s",
					d.Stack, d.Type, d.LogicalID, d.Path, parity.SideCDK, showValue(d.CDK), parity.SideOurs, showValue(d.Ours), d.Row()))
			}
			t.Errorf("%s: %d differences from aws-cdk-lib are not listed in docs/parity.md (fix eksforge or the JS app, or add a row with the reason):\n%s",
				res.Example, len(un), strings.Join(rows, "\n"))
		}
	}
	if restricted || t.Failed() && len(results) < len(runnable) {
		return
	}
	for _, e := range intended {
		if e.Used == 0 {
			t.Errorf("docs/parity.md:%d lists a difference that no example has any more (remove the row): %s | %s | %s | %s",
				e.Line, e.Example, e.Type, e.LogicalID, e.Path)
		}
	}
}

func summary(w *bytes.Buffer, results []parity.Result) {
	fmt.Fprintf(w, "\n== summary\n| example | matching | intended differences | unlisted |\n| --- | --- | --- | --- |\n")
	for _, r := range results {
		un := len(r.Unlisted())
		fmt.Fprintf(w, "| %s | %d | %d | %d |\n", r.Example, len(r.Matches), len(r.Differences)-un, un)
	}
}

func showValue(v any) string {
	if v == nil {
		return "(absent)"
	}
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func goSide() string {
	if os.Getenv(envGoSide) == "synth" {
		return "synth"
	}
	return "golden"
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

// listExamples returns the examples: the directories of examples/ with a
// main.go.
func listExamples(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, "examples", "*", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range m {
		out = append(out, filepath.Base(filepath.Dir(p)))
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no examples under examples/")
	}
	return out
}

// nodeModules returns the node_modules of bench/cdk's packages: the
// directory envNodeModules names, or the one internal/testenv/cdklib
// installs (scripts/install-npm.sh bench/cdk, shared with every test that
// runs aws-cdk-lib). Offline, the test is skipped loudly, or fails when
// CI=true.
func nodeModules(t *testing.T, root string) string {
	t.Helper()
	if p := os.Getenv(envNodeModules); p != "" {
		return p
	}
	return cdklib.NodeModules(t)
}

// synthCdk runs bench/cdk/synth-all.js once for all examples and returns
// the directory holding one cloud assembly per example.
func synthCdk(t *testing.T, root, modules string, examples []string) string {
	t.Helper()
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	args := append([]string{filepath.Join(root, "bench", "cdk", "synth-all.js"), out}, examples...)
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = filepath.Join(root, "bench", "cdk")
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "SYNTH_ALL_TEMPLATES_ONLY=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Example string `json:"example"`
			OK      bool   `json:"ok"`
			Error   string `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && !line.OK {
			t.Errorf("bench/cdk/%s/app.js failed:\n%s", line.Example, line.Error)
		}
	}
	if err != nil && !t.Failed() {
		t.Fatalf("node synth-all.js: %v\n%s", err, stderr.String())
	}
	return out
}

// oursSide returns a function giving eksforge's stacks for an example.
func oursSide(t *testing.T, root string, examples []string) func(string) (map[string][]parity.Resource, error) {
	t.Helper()
	if goSide() != "synth" {
		return func(ex string) (map[string][]parity.Resource, error) {
			files, err := filepath.Glob(filepath.Join(root, "examples", ex, "testdata", "*.template.json"))
			if err != nil || len(files) == 0 {
				return nil, fmt.Errorf("examples/%s has no golden template (run its test with -update): %v", ex, err)
			}
			return parity.LoadTemplates(files...)
		}
	}
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	for _, ex := range examples {
		args = append(args, "./examples/"+ex)
	}
	cmd := exec.Command(goCommand(), args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	outRoot := t.TempDir()
	return func(ex string) (map[string][]parity.Resource, error) {
		dir := filepath.Join(outRoot, ex)
		cmd := exec.Command(filepath.Join(bin, ex))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CDK_OUTDIR="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("examples/%s: %v\n%s", ex, err, out)
		}
		return parity.LoadAssembly(dir)
	}
}

func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
