//go:build !nohelm

package kubectl_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/distribution/distribution/v3/configuration"
	dregistry "github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
	"github.com/sirupsen/logrus"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/registry"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// ociRegistry starts the distribution registry (the reference OCI registry)
// in-process on 127.0.0.1 with in-memory storage and no auth, and returns
// its host:port.
func ociRegistry(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logrus.SetOutput(io.Discard)
	cfg := &configuration.Configuration{}
	cfg.HTTP.Addr = addr
	cfg.HTTP.DrainTimeout = time.Second
	cfg.Storage = map[string]configuration.Parameters{"inmemory": map[string]any{}}
	cfg.Log.AccessLog.Disabled = true
	reg, err := dregistry.NewRegistry(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = reg.ListenAndServe() }()
	t.Cleanup(func() { _ = reg.Shutdown(context.Background()) })
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("registry not up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return addr
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
