package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// TestStockAWSCDKAssembly reads, draws and deploys a cloud assembly that the
// AWS CDK itself (aws-cdk-lib on Node.js) wrote: the CLI must work on any
// CDK app, not only on eksforge's output. Its directory asset has "zip"
// packaging, which the CLI zips when publishing.
func TestStockAWSCDKAssembly(t *testing.T) {
	t.Parallel()
	asm := cdklib.Synth(t, filepath.Join("testdata", "cdkapp", "app.js"), "STACK_SUFFIX="+unique(""))
	res := run(t, nil, "ls", "-l", "--app", asm)
	res.expect(t, 0, "stdout", "CdkNet\tstack=CdkNet-", "CdkApp\tstack=CdkApp-", "\tenv=aws://unknown-account/unknown-region\tdepends-on=CdkNet\n")

	res = run(t, nil, "graph", "--app", asm)
	nodes, _ := readSVG(t, []byte(res.stdout))
	for _, want := range []string{"CdkNet/Vpc", "CdkApp/Role1ABCC5F0"} {
		if _, ok := nodes[want]; !ok {
			t.Errorf("the graph has no node %s: %v", want, nodes)
		}
	}

	manifest, err := os.ReadFile(filepath.Join(asm, "CdkApp.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), `"packaging": "zip"`) {
		t.Fatalf("the AWS CDK's asset manifest has no zip asset:\n%s", manifest)
	}
	srv, _, newRunner := bootstrapped(t, motoserver.Region)
	res = run(t, newRunner(), "deploy", "--all", "--app", asm, "--endpoint-url", srv.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "CdkNet: deployed", "CdkApp: deployed")
	// The assets' content is the same in every run: on a server that ran
	// the test before (go test -count=2) they are already published.
	if m := regexp.MustCompile(`CdkApp: assets: (\d+) uploaded, (\d+) already published`).FindStringSubmatch(res.stderr); m == nil || atoi(m[1])+atoi(m[2]) != 3 {
		t.Errorf("want the 3 assets of CdkApp (template, file, zipped directory) published; got %v", m)
	}
	res = run(t, newRunner(), "diff", "--app", asm, "--endpoint-url", srv.Endpoint(), "--fail")
	res.expect(t, 0, "stdout", "Number of stacks with differences: 0")
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
