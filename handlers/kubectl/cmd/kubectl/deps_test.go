package main_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/gobuild"
)

// TestNoHelmBuildLinksNoHelmSDK checks what the two builds of the Lambda
// main link: with -tags nohelm (the cluster's Handler) no package of the
// Helm SDK or of what it drags in (kubectl's factory, cli-runtime, ORAS),
// since one such import anywhere in the handler runs their package
// initialisers on every cold start; without it (the HelmHandler), the Helm
// SDK's action package.
func TestNoHelmBuildLinksNoHelmSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	t.Parallel()
	heavy := []string{"helm.sh/", "oras.land/", "k8s.io/kubectl/", "k8s.io/cli-runtime/", "sigs.k8s.io/kustomize/"}
	for _, tt := range []struct {
		tags     string
		wantHelm bool
	}{
		{"lambda.norpc,nohelm", false},
		{"lambda.norpc", true},
	} {
		t.Run(tt.tags, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("go", "list", "-tags", tt.tags, "-deps", ".").Output()
			if err != nil {
				t.Fatalf("go list: %v", err)
			}
			deps := strings.Fields(string(out))
			if tt.wantHelm {
				if !slices.Contains(deps, "helm.sh/helm/v4/pkg/action") {
					t.Errorf("-tags %s does not link helm.sh/helm/v4/pkg/action", tt.tags)
				}
				return
			}
			for _, d := range deps {
				for _, h := range heavy {
					if strings.HasPrefix(d, h) {
						t.Errorf("-tags %s links %s: a file without the !nohelm constraint imports the Helm side", tt.tags, d)
					}
				}
			}
		})
	}
}

// TestHelmBuildLinksOnlyTheAWSOperationsItCalls checks that the Helm build
// keeps, of each AWS client the handler stores behind an interface, only
// the operations it calls. The Helm SDK links text/template, which looks
// methods up by name through reflection; the Go linker then keeps every
// exported method of every type stored in an interface, so one
// *sfn.Client in a provider.ExecutionStarter linked all 37 Step Functions
// operations (0.4 MB of the zip, with ELBv2's 50). The handler passes the
// clients' methods as functions instead (provider.ExecutionStarterFunc,
// elbv2Lister); this test fails when a client itself is stored again. The
// S3, STS and SSO clients are not listed: the SDK itself stores them in
// interfaces (S3 Express sessions, credential providers).
func TestHelmBuildLinksOnlyTheAWSOperationsItCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Helm handler")
	}
	t.Parallel()
	// The Helm asset's build (linux/arm64, eks.KubectlGCFlags), so that its
	// dependencies compile once with internal/cli's publishing test of the
	// nohelm asset, but linked with its symbol table (-w alone) for nm.
	res, err := gobuild.Build(t.Context(), gobuild.Options{Package: ".", GOOS: "linux", GOARCH: "arm64",
		Tags: []string{"lambda.norpc"}, GCFlags: eks.KubectlGCFlags(), LDFlags: "-w", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatalf("build the Helm handler: %v", err)
	}
	out, err := exec.Command("go", "tool", "nm", filepath.Join(res.Dir, gobuild.BinaryName)).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	want := map[string][]string{
		"ecr":                    {"GetAuthorizationToken"},
		"eks":                    {"DescribeCluster"},
		"elasticloadbalancingv2": {"DescribeLoadBalancers", "DescribeTags"},
		"secretsmanager":         {"GetSecretValue"},
		"sfn":                    {"StartExecution"},
		"ssm":                    {"GetParameter"},
	}
	got := map[string][]string{}
	method := regexp.MustCompile(`github\.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)\.\(\*Client\)\.([A-Z][A-Za-z0-9]*)$`)
	for _, line := range strings.Split(string(out), "\n") {
		m := method.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || strings.Fields(line)[1] != "T" {
			continue
		}
		if _, ok := want[m[1]]; ok {
			got[m[1]] = append(got[m[1]], m[2])
		}
	}
	for svc, ops := range want {
		var extra []string
		for _, op := range got[svc] {
			if !slices.Contains(ops, op) {
				extra = append(extra, op)
			}
		}
		if len(extra) > 0 {
			t.Errorf("the Helm build links %d operations of %s.(*Client) that the handler does not call (%s): a *%s.Client is stored in an interface; pass its methods as functions (see this test's doc)",
				len(extra), svc, strings.Join(extra, ", "), svc)
		}
		if len(got[svc]) == 0 {
			t.Errorf("the Helm build links no method of %s.(*Client): does nm still name them as this test expects?", svc)
		}
	}
}
