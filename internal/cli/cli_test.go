package cli_test

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// repoRoot is the module root, where `go run ./examples/...` works.
const repoRoot = "../.."

func TestHelp(t *testing.T) {
	t.Parallel()
	res := run(t, nil, "help")
	res.expect(t, 0, "stdout", "synth", "ls", "diff", "deploy", "destroy", "graph", "--endpoint-url", "--profile")
	res = run(t, nil, "help", "deploy")
	res.expect(t, 0, "stdout", "usage: eksforge deploy", "-require-approval", "-parameters", "first failing")
	res = run(t, nil, "deploy", "-h")
	res.expect(t, 0, "stdout", "usage: eksforge deploy", "-exclusively")
}

func TestCommandLineErrors(t *testing.T) {
	t.Parallel()
	minimal := synth(t, network{stack: "One"}.build)
	two := synth(t, func(app *cdk.App) {
		network{stack: "First"}.build(app)
		network{stack: "Second"}.build(app)
	})
	empty := t.TempDir()
	tests := []struct {
		name   string
		dir    string
		args   []string
		code   int
		stderr []string
	}{
		{name: "fails on an unknown command", args: []string{"delpoy"}, code: 2, stderr: []string{`unknown command "delpoy"`, "eksforge help"}},
		{name: "fails on an unknown flag, as typed", args: []string{"synth", "--nope"}, code: 2, stderr: []string{"eksforge synth: unknown flag --nope\n", "eksforge help synth"}},
		{name: "fails on an unknown short flag, as typed", args: []string{"deploy", "-x=1"}, code: 2, stderr: []string{"eksforge deploy: unknown flag -x\n"}},
		{name: "fails on a flag without its value, as typed", args: []string{"synth", "--output"}, code: 2, stderr: []string{"eksforge synth: --output needs a value"}},
		{name: "fails on a bad boolean, as typed", args: []string{"destroy", "--force=maybe"}, code: 2, stderr: []string{`invalid boolean value "maybe" for --force`}},
		{name: "fails on a context value without =", args: []string{"synth", "--app", "true", "-c", "novalue"}, dir: empty, code: 2, stderr: []string{`--context "novalue": want KEY=VALUE`}},
		{name: "fails on version arguments", args: []string{"version", "x"}, code: 2, stderr: []string{"version takes no arguments"}},
		{name: "fails on an unknown stack, listing the known ones", args: []string{"ls", "--app", two, "Thrid"}, code: 1, stderr: []string{`no stack matches "Thrid"`, "First, Second"}},
		{name: "fails without an app", dir: empty, args: []string{"synth"}, code: 1, stderr: []string{"no app to run", "--app"}},
		{name: "fails on a directory without a cloud assembly", args: []string{"ls", "--app", empty}, code: 1, stderr: []string{"without a cloud assembly", "eksforge synth"}},
		{name: "fails with the app's errors when synthesis fails", dir: empty, args: []string{"synth", "--app", "echo 'Stack/Cluster: validation failed: bad version' >&2; exit 3"}, code: 1, stderr: []string{"synthesis failed", "exit status 3", "Stack/Cluster: validation failed: bad version"}},
		{name: "fails when the app writes no assembly", dir: empty, args: []string{"synth", "--app", "true"}, code: 1, stderr: []string{"wrote no cloud assembly", "app.Synth()"}},
		{name: "fails to deploy one of several stacks unnamed", args: []string{"deploy", "--app", two}, code: 2, stderr: []string{"the app has 2 stacks (First, Second)", "--all"}},
		{name: "fails on a bad approval level", args: []string{"deploy", "--app", minimal, "--require-approval", "sometimes"}, code: 2, stderr: []string{"never, any-change or broadening"}},
		{name: "fails on a parameter no stack has", args: []string{"deploy", "--app", minimal, "--parameters", "Nope=1"}, code: 1, stderr: []string{`no stack of the app has a parameter "Nope"`}},
		{name: "fails to destroy without confirmation", args: []string{"destroy", "--app", minimal}, code: 1, stderr: []string{"refusing to delete One without confirmation", "--force"}},
		{name: "fails on a bad graph format", args: []string{"graph", "--app", minimal, "--format", "png"}, code: 2, stderr: []string{"svg or dot"}},
		{name: "fails on an unknown profile", args: []string{"diff", "--app", minimal, "--profile", "no-such-profile"}, code: 1, stderr: []string{"unable to load the AWS configuration", "no-such-profile"}},
		{name: "fails on --template with several stacks", args: []string{"diff", "--app", two, "--template", "x.json"}, code: 2, stderr: []string{"--template compares one stack"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := run(t, &cli.Runner{Dir: tc.dir}, tc.args...)
			res.expect(t, tc.code, "stderr", tc.stderr...)
		})
	}
}

func TestSynthPrintsTheValidationErrors(t *testing.T) {
	t.Parallel()
	res := run(t, &cli.Runner{Dir: repoRoot}, "synth", "--app", "go run ./internal/cli/testdata/invalidapp", "--out", t.TempDir())
	res.expect(t, 1, "stderr", "eksforge synth: synthesis failed: the app (go run ./internal/cli/testdata/invalidapp) exited with exit status 1:",
		`[Invalid/Cluster] version "1.12" is not supported: use 1.29 or later`)
}

func TestAppFromCdkJSON(t *testing.T) {
	t.Parallel()
	asm := synth(t, network{stack: "FromCdkJSON"}.build)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"app": "`+asm+`", "context": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run(t, &cli.Runner{Dir: dir}, "ls")
	if res.code != 0 || res.stdout != "FromCdkJSON\n" {
		t.Errorf("ls with cdk.json: exit %d, stdout %q; want the stack of cdk.json's app", res.code, res.stdout)
	}
}

func TestSynthAndListTheMinimalExample(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	r := &cli.Runner{Dir: repoRoot}
	res := run(t, r, "synth", "--app", "go run ./examples/minimal", "--out", out)
	res.expect(t, 0, "stdout",
		"MinimalNetwork: "+filepath.Join(out, "MinimalNetwork.template.json"),
		"MinimalApp: "+filepath.Join(out, "MinimalApp.template.json"))
	res = run(t, r, "synth", "-q", "--app", "go run ./examples/minimal", "--out", out)
	if res.code != 0 || res.stdout != "" {
		t.Errorf("synth -q: exit %d, stdout %q; want 0 and nothing", res.code, res.stdout)
	}
	res = run(t, nil, "ls", "--app", out)
	if res.stdout != "MinimalNetwork\nMinimalApp\n" {
		t.Errorf("ls = %q, want the stacks in dependency order", res.stdout)
	}
	res = run(t, nil, "ls", "-l", "--app", out, "MinimalApp")
	res.expect(t, 0, "stdout", "MinimalApp\tstack=MinimalApp\tenv=aws://unknown-account/unknown-region\tdepends-on=MinimalNetwork")
}

// svgDoc is the part of the SVG that the graph test reads.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Groups  []struct {
		Class string   `xml:"class,attr"`
		ID    string   `xml:"id,attr"`
		Kind  string   `xml:"data-kind,attr"`
		Texts []string `xml:"text"`
	} `xml:"g"`
	Paths []struct {
		Class string `xml:"class,attr"`
		From  string `xml:"data-from,attr"`
		To    string `xml:"data-to,attr"`
	} `xml:"path"`
}

func readSVG(t *testing.T, body []byte) (nodes map[string]string, edges map[string]bool) {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v", err)
	}
	nodes, edges = map[string]string{}, map[string]bool{}
	for _, g := range doc.Groups {
		if g.Class == "node" {
			nodes[g.ID] = g.Kind
		}
	}
	for _, p := range doc.Paths {
		if p.Class == "edge" {
			edges[p.From+" -> "+p.To] = true
		}
	}
	return nodes, edges
}

func TestGraphOfTheMinimalExample(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	svg := filepath.Join(t.TempDir(), "minimal.svg")
	res := run(t, &cli.Runner{Dir: repoRoot}, "graph", "--app", "go run ./examples/minimal", "--out", out, "--file", svg)
	res.expect(t, 0, "stderr", "3 resources, 1 dependencies")
	body, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := readSVG(t, body)
	if diff := cmp.Diff(map[string]string{"MinimalNetwork/Vpc": "", "MinimalApp/Bucket": "", "MinimalApp/Topic": ""}, nodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"MinimalApp/Bucket -> MinimalApp/Topic": true}, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	for _, w := range []string{"stack MinimalApp (depends on MinimalNetwork)", "AWS::SNS::Topic"} {
		if !strings.Contains(string(body), w) {
			t.Errorf("the SVG does not show %q", w)
		}
	}

	res = run(t, nil, "graph", "--app", out, "--format", "dot")
	res.expect(t, 0, "stdout", "digraph eksforge {", `label="stack MinimalApp"`, `"MinimalApp/Bucket" -> "MinimalApp/Topic"`)
}

func TestGraphEmphasisesEKSResources(t *testing.T) {
	t.Parallel()
	asm := synth(t, eksApp{nodegroupName: "workers", subnets: []string{"SubnetA", "SubnetB"}}.build)
	res := run(t, nil, "graph", "--app", asm)
	res.expect(t, 0, "stdout")
	nodes, edges := readSVG(t, []byte(res.stdout))
	for id, kind := range map[string]string{
		"EksApp/ClusterEB0386A7":                  "cluster",
		"EksApp/ClusterNodegroup78FCCA33":         "nodegroup",
		"EksApp/ClusterManifestC0AED10E":          "manifest",
		"EksApp/ClusterChart3844962B":             "chart",
		"EksApp/ClusterNodegroupNodeRole350F7828": "",
	} {
		got, ok := nodes[id]
		if !ok {
			t.Errorf("no node %s; nodes: %v", id, nodes)
			continue
		}
		if got != kind {
			t.Errorf("node %s has kind %q, want %q", id, got, kind)
		}
	}
	if !strings.Contains(res.stdout, `<g class="tree" data-path="EksApp/Cluster/Nodegroup">`) {
		t.Error("the SVG does not draw the construct tree")
	}
	// Dependencies are bundled per construct: the cluster resource into
	// the node group construct (its role and itself), a subnet into the
	// cluster construct.
	for _, e := range []string{
		"EksApp/ClusterEB0386A7 -> EksApp/Cluster/Nodegroup",
		"EksApp/ClusterManifestC0AED10E -> EksApp/ClusterChart3844962B",
		"EksApp/SubnetA -> EksApp/Cluster",
	} {
		if !edges[e] {
			t.Errorf("no edge %s", e)
		}
	}
}

// TestDiffGoldenNodegroupReplacement compares two synthesized EKS apps
// whose node group changes name and subnets (create-only properties): no
// AWS access, the deployed template is given with --template.
func TestDiffGoldenNodegroupReplacement(t *testing.T) {
	t.Parallel()
	oldAsm := synth(t, eksApp{nodegroupName: "workers", subnets: []string{"SubnetA", "SubnetB"}}.build)
	newAsm := synth(t, eksApp{nodegroupName: "workers-v2", subnets: []string{"SubnetA", "SubnetC"}, ecrReadOnly: true}.build)
	for _, f := range []struct{ asm, golden string }{{oldAsm, "deployed.template.json"}, {newAsm, "app.template.json"}} {
		body, err := os.ReadFile(filepath.Join(f.asm, "EksApp.template.json"))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "nodegroup", f.golden), body)
	}
	res := run(t, nil, "diff", "--app", newAsm, "--template", filepath.Join("testdata", "nodegroup", "deployed.template.json"), "--fail")
	if res.code != 1 {
		t.Errorf("diff --fail exit code = %d, want 1 (differences)", res.code)
	}
	golden(t, filepath.Join("testdata", "nodegroup", "diff.golden"), []byte(res.stdout))
	if !regexp.MustCompile(`(?m)^WARNING: AWS::EKS::Nodegroup ClusterNodegroup78FCCA33 \(EksApp/Cluster/Nodegroup/Resource\) will be REPLACED`).MatchString(res.stdout) {
		t.Errorf("no WARNING line for the node group's replacement")
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
