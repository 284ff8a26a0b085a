package main_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
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
