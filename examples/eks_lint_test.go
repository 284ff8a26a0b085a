// Package examples_test lints the golden templates of the EKS examples
// (examples/<name>/testdata/*.template.json) with cfn-lint in one run: each
// example's own test keeps its golden equal to what it synthesizes, so
// linting the goldens lints the examples, at one cfn-lint start for all.
package examples_test

import (
	"path/filepath"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

// eksExamples are the examples of the EKS library (part 1).
var eksExamples = []string{
	"hello-eks", "endpoint-access", "default-capacity", "self-managed-ec2", "no-default-capacity",
	"add-capacity", "nodegroup", "fargate-profile", "fargate-cluster", "spot-capacity",
	"bootstrap-options", "cluster-security-group", "secrets-encryption", "ssh-access",
	"bottlerocket", "access-entries", "multi-cluster",
	// part 2: Kubernetes resources
	"manifests", "manifest-dependency", "manifest-from-yaml", "large-manifest", "patch", "object-value",
	"aws-auth", "helm-chart", "service-account", "kubectl-environment", "typed-manifests",
	// node autoscaling
	"karpenter",
	// issue 16: the current EKS API
	"addons", "identity-provider", "cluster-options", "hybrid-nodes", "capabilities", "nodegroup-updates",
}

func TestEKSExampleTemplatesPassCfnLint(t *testing.T) {
	var files []string
	for _, ex := range eksExamples {
		m, err := filepath.Glob(filepath.Join(ex, "testdata", "*.template.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(m) == 0 {
			t.Errorf("examples/%s has no golden template (run its test with -update)", ex)
		}
		files = append(files, m...)
	}
	cfnlint.LintFiles(t, files...)
}
