//go:build !nohelm

package kubectl_test

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/registry"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// ociRegistry serves an in-memory OCI registry (go-containerregistry's,
// which speaks the OCI distribution API Helm's client pushes to and pulls
// from) from an httptest server on 127.0.0.1, without auth, and returns its
// host:port. The server owns its listener from the start, so no other
// process can take the port and no serving error is lost.
func ociRegistry(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestHelmFromOCIRegistry(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	h.HelmPlainHTTP = true
	ns := namespace(t, env)
	host := ociRegistry(t)
	path, err := chartutil.Save(demoChart("0.1.0", false), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptWriter(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Push(data, fmt.Sprintf("%s/charts/demo:0.1.0", host)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, chart, repo string }{
		{"full reference", "oci://" + host + "/charts/demo", ""},
		{"registry as Repository", "demo", "oci://" + host + "/charts"},
		{"chart's own reference as Repository (the AWS CDK's form)", "demo", "oci://" + host + "/charts/demo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel := "oci" + fmt.Sprint(len(tc.repo))
			p := map[string]any{"Release": rel, "Chart": tc.chart, "Repository": tc.repo, "Version": "0.1.0", "Namespace": ns, "Values": `{"v":"oci"}`}
			r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
			if got := cmValue(t, env, ns, rel+"-cm"); got != "oci@0.1.0" || r.Data["Revision"] != "1" {
				t.Errorf("installed from OCI: %s, %+v", got, r)
			}
		})
	}
}
