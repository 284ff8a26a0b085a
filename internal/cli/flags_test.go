package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/cli"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestHelpGolden pins the help of eksforge and of every command: flags in
// the forms users type (-o, --output DIR). go test -update rewrites
// testdata/help/.
func TestHelpGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "bootstrap", "synth", "ls", "diff", "deploy", "drift", "upgrade-plan", "destroy", "graph", "kubeconfig", "token"} {
		args := []string{"help"}
		file := "eksforge.txt"
		if name != "" {
			args, file = append(args, name), name+".txt"
		}
		res := run(t, nil, args...)
		if res.code != 0 {
			t.Fatalf("eksforge %s: exit %d", strings.Join(args, " "), res.code)
		}
		golden := filepath.Join("testdata", "help", file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(res.stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if diff := cmp.Diff(string(want), res.stdout); diff != "" {
			t.Errorf("eksforge %s differs from %s (-want +got):\n%s", strings.Join(args, " "), golden, diff)
		}
		if name != "" {
			for _, line := range strings.Split(res.stdout[strings.Index(res.stdout, "\nFlags:\n"):], "\n") {
				if strings.HasPrefix(line, "  -") && !strings.HasPrefix(line, "  --") && !strings.Contains(line, ", --") && len(strings.Fields(line)[0]) > 2 {
					t.Errorf("eksforge help %s shows a long flag with one dash: %q", name, line)
				}
			}
		}
	}
}

func TestVersionAndGlobalFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--version"}, {"version"}, {"--verbose", "version"}} {
		res := run(t, nil, args...)
		res.expect(t, 0, "stdout", "eksforge ", "bootstrap template: aws-cdk 2.1148.1 (bootstrap version 33)")
	}
	// --verbose and --no-color before the command's name.
	asm := synth(t, network{stack: "Global"}.build)
	res := run(t, nil, "--verbose", "--no-color", "ls", "-a", asm)
	if res.code != 0 || res.stdout != "Global\n" {
		t.Errorf("eksforge --verbose --no-color ls: exit %d, stdout %q", res.code, res.stdout)
	}
}

// TestDeclinedDeployAndDestroyExitAlike: a person who answers no, to a
// deployment or to a deletion, gets exit code 1 and nothing changed.
func TestDeclinedDeployAndDestroyExitAlike(t *testing.T) {
	t.Parallel()
	srv, _, newRunner := bootstrapped(t, motoserver.Region)
	ep := "--endpoint-url=" + srv.Endpoint()
	asm := synth(t, network{stack: "Declined", name: unique("Declined"), https: true, asset: "declined"}.build)
	r := newRunner()
	r.Interactive, r.Stdin = true, strings.NewReader("n\n")
	deploy := run(t, r, "deploy", "-a", asm, ep)
	deploy.expect(t, 1, "stderr", "Do you wish to deploy these changes? (y/n)", "deployment cancelled; nothing was changed")
	r = newRunner()
	r.Interactive, r.Stdin = true, strings.NewReader("n\n")
	destroy := run(t, r, "destroy", "-a", asm, ep)
	destroy.expect(t, 1, "stderr", "Are you sure you want to delete: Declined? (y/n)", "Nothing was deleted.")
	if deploy.code != destroy.code {
		t.Errorf("declined deploy exits %d, declined destroy %d", deploy.code, destroy.code)
	}
}

// TestContextReachesTheApp runs a Go app (testdata/goapp) from a cdk.json
// with context in cdk.json, cdk.context.json (one value too large for
// CDK_CONTEXT_JSON: it goes by the overflow file) and -c, and reads back
// what the app received, with CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION
// from moto's credentials (diff connects before it runs the app).
func TestContextReachesTheApp(t *testing.T) {
	t.Parallel()
	srv := motoserver.Shared(t)
	appDir, err := filepath.Abs(filepath.Join("testdata", "goapp"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cdk.json", map[string]any{"app": "cd '" + appDir + "' && go run .", "context": map[string]any{"fromJson": "json", "both": "cdk.json"}})
	big := strings.Repeat("x", 200_000)
	write("cdk.context.json", map[string]any{"fromContextFile": "file", "both": "cdk.context.json", "cli": "file", "big": big})

	r := runner(srv, "eu-west-3")
	r.Dir = dir
	res := run(t, r, "diff", "-c", "cli=command line", "--endpoint-url", srv.Endpoint(), "-o", "assembly")
	res.expect(t, 0, "stderr", "Synthesizing: cd '"+appDir+"' && go run . (in ")
	tmpl := map[string]any{}
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "assembly"), "GoApp.template.json"), &tmpl); err != nil {
		t.Fatal(err)
	}
	got := tmpl["Resources"].(map[string]any)["Vpc"].(map[string]any)["Metadata"].(map[string]any)["Received"]
	want := map[string]any{
		"account": motoserver.AccountID, "region": "eu-west-3",
		"fromJson": "json", "fromContextFile": "file", "both": "cdk.json", "cli": "command line",
		"bigLength": float64(len(big)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what the app received (-want +got):\n%s", diff)
	}
}

// TestSynthStackNames: synth STACK prints the stack's template (YAML, or
// JSON with --json); -o names the assembly directory.
func TestSynthStackNames(t *testing.T) {
	t.Parallel()
	asm := synth(t, func(app *cdk.App) {
		network{stack: "First"}.build(app)
		network{stack: "Second"}.build(app)
	})
	res := run(t, nil, "synth", "-a", asm, "Second")
	res.expect(t, 0, "stdout", "Resources:\n", "  Vpc:\n    Metadata:", "Type: AWS::EC2::VPC")
	if strings.Contains(res.stdout, "---") {
		t.Error("one stack printed as several documents")
	}
	res = run(t, nil, "synth", "-a", asm, "--json", "First")
	var m map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &m); err != nil || m["Resources"] == nil {
		t.Errorf("synth --json First is not the template: %v", err)
	}
	res = run(t, nil, "synth", "-a", asm, "*")
	res.expect(t, 0, "stdout", "\n---\n")
	res = run(t, nil, "synth", "-a", asm, "Third")
	res.expect(t, 1, "stderr", `no stack matches "Third"`)

	out := t.TempDir()
	r := &cli.Runner{Dir: repoRoot}
	res = run(t, r, "synth", "-a", "go run ./internal/cli/testdata/goapp", "-o", out)
	res.expect(t, 0, "stdout", "GoApp: "+filepath.Join(out, "GoApp.template.json"))
}
