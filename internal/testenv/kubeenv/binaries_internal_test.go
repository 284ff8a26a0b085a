package kubeenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/toolscript"
)

// TestVersionsMatchBuildScript keeps KubernetesVersion and EtcdVersion equal
// to the defaults of scripts/build-kube-binaries.sh.
func TestVersionsMatchBuildScript(t *testing.T) {
	t.Parallel()
	root, err := toolscript.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(root, "scripts", "build-kube-binaries.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`kube_version="${EKSFORGE_KUBE_VERSION:-` + KubernetesVersion + `}"`,
		`etcd_version="${EKSFORGE_ETCD_VERSION:-` + EtcdVersion + `}"`,
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("scripts/build-kube-binaries.sh lacks %s", want)
		}
	}
}

func TestKubeconfigNamesHostTokenAndCA(t *testing.T) {
	t.Parallel()
	e := &Env{Host: "https://127.0.0.1:6443", Token: "tok", CAData: []byte("PEM")}
	got := string(e.Kubeconfig())
	for _, want := range []string{
		"server: https://127.0.0.1:6443\n",
		"certificate-authority-data: UEVN\n",
		"token: tok\n",
		"current-context: kubeenv\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Kubeconfig() lacks %q:\n%s", want, got)
		}
	}
}
