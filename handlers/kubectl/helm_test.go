//go:build !nohelm

package kubectl_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	repo "helm.sh/helm/v4/pkg/repo/v1"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/kubectl/helm"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// demoChart is a chart with one ConfigMap whose data.v is .Values.v (and,
// with broken, an invalid object that fails to apply).
func demoChart(version string, broken bool) *chart.Chart {
	tpl := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  v: {{ .Values.v | quote }}\n  chart: {{ .Chart.Version | quote }}\n"
	if broken {
		tpl += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: Not_Valid\nspec:\n  ports: [{port: 80}]\n"
	}
	return &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: chart.APIVersionV2, Name: "demo", Version: version},
		Values:    map[string]any{"v": "default"},
		Templates: []*common.File{{Name: "templates/cm.yaml", Data: []byte(tpl), ModTime: time.Unix(0, 0)}},
	}
}

// chartRepo serves an index.yaml and packaged charts made with the Helm SDK.
func chartRepo(t testing.TB, charts ...*chart.Chart) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	idx := repo.NewIndexFile()
	archives := map[string][]byte{}
	for _, c := range charts {
		path, err := chartutil.Save(c, dir)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		archives[c.Metadata.Version] = b
		if err := idx.MustAdd(c.Metadata, filepath.Base(path), srv.URL, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL, archives
}

func cmValue(t testing.TB, env *kubeenv.Env, ns, name string) string {
	t.Helper()
	u := get(t, env, cmGVR, ns, name)
	if u == nil {
		return "<none>"
	}
	return u.Object["data"].(map[string]any)["v"].(string) + "@" + u.Object["data"].(map[string]any)["chart"].(string)
}

func TestHelmInstallUpgradeUninstall(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := "helm-" + fmt.Sprint(time.Now().UnixNano()%100000)
	url, _ := chartRepo(t, demoChart("0.1.0", false), demoChart("0.2.0", false), demoChart("0.3.0", true))
	p := map[string]any{"Release": "web", "Chart": "demo", "Repository": url, "Version": "0.1.0", "Namespace": ns,
		"CreateNamespace": "true", "Values": `{"v":"one"}`, "Timeout": "1m0s"}
	r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
	if r.Data["Revision"] != "1" || cmValue(t, env, ns, "web-cm") != "one@0.1.0" {
		t.Fatalf("after install: %+v, %s", r, cmValue(t, env, ns, "web-cm"))
	}

	p2 := map[string]any{"Release": "web", "Chart": "demo", "Repository": url, "Version": "0.2.0", "Namespace": ns,
		"CreateNamespace": "true", "Values": `{"v":"two"}`, "Wait": "true", "Timeout": "1m0s"}
	up := ev(t, kubectl.TypeHelmChart, cfnresponse.Update, p2, p)
	up.PhysicalResourceId = r.PhysicalResourceId
	r2 := mustRun(t, h, up)
	if r2.Data["Revision"] != "2" || cmValue(t, env, ns, "web-cm") != "two@0.2.0" || r2.PhysicalResourceId != r.PhysicalResourceId {
		t.Fatalf("after upgrade: %+v, %s", r2, cmValue(t, env, ns, "web-cm"))
	}

	// A failing atomic upgrade rolls back to what ran before.
	p3 := map[string]any{"Release": "web", "Chart": "demo", "Repository": url, "Version": "0.3.0", "Namespace": ns,
		"Values": `{"v":"three"}`, "Atomic": "true", "Timeout": "30s"}
	up3 := ev(t, kubectl.TypeHelmChart, cfnresponse.Update, p3, p2)
	up3.PhysicalResourceId = r.PhysicalResourceId
	if _, err := h.OnEvent(context.Background(), up3); err == nil || !strings.Contains(err.Error(), "Helm release "+ns+"/web") {
		t.Fatalf("broken upgrade: error %v, want one naming the release", err)
	}
	if got := cmValue(t, env, ns, "web-cm"); got != "two@0.2.0" {
		t.Errorf("after the failed atomic upgrade the ConfigMap is %s, want the rolled-back two@0.2.0", got)
	}

	del := ev(t, kubectl.TypeHelmChart, cfnresponse.Delete, p2, nil)
	del.PhysicalResourceId = r.PhysicalResourceId
	mustRun(t, h, del)
	if get(t, env, cmGVR, ns, "web-cm") != nil {
		t.Error("uninstall left the ConfigMap")
	}
}

func TestHelmRecoversPendingReleases(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	url, _ := chartRepo(t, demoChart("0.1.0", false), demoChart("0.2.0", false))
	hc := &helm.Client{Rest: env.RestConfig()}
	cfg, err := hc.Config(ns)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("pending-upgrade is rolled back, then upgraded", func(t *testing.T) {
		p := map[string]any{"Release": "stuck", "Chart": "demo", "Repository": url, "Version": "0.1.0", "Namespace": ns, "Values": `{"v":"one"}`}
		r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
		// A handler died mid-upgrade: revision 2 left pending-upgrade.
		last, err := cfg.Releases.Last("stuck")
		if err != nil {
			t.Fatal(err)
		}
		pending := *last.(*release.Release)
		info := *pending.Info
		pending.Info = &info
		pending.Version++
		pending.Info.Status = rcommon.StatusPendingUpgrade
		if err := cfg.Releases.Create(&pending); err != nil {
			t.Fatal(err)
		}
		p2 := map[string]any{"Release": "stuck", "Chart": "demo", "Repository": url, "Version": "0.2.0", "Namespace": ns, "Values": `{"v":"two"}`}
		up := ev(t, kubectl.TypeHelmChart, cfnresponse.Update, p2, p)
		up.PhysicalResourceId = r.PhysicalResourceId
		mustRun(t, h, up)
		if got := cmValue(t, env, ns, "stuck-cm"); got != "two@0.2.0" {
			t.Errorf("after recovery and upgrade: %s", got)
		}
	})
	t.Run("pending-install is uninstalled, then installed", func(t *testing.T) {
		now := time.Now()
		rel := &release.Release{Name: "never", Namespace: ns, Version: 1, Chart: demoChart("0.1.0", false),
			Info: &release.Info{Status: rcommon.StatusPendingInstall, FirstDeployed: now, LastDeployed: now}}
		if err := cfg.Releases.Create(rel); err != nil {
			t.Fatal(err)
		}
		p := map[string]any{"Release": "never", "Chart": "demo", "Repository": url, "Version": "0.1.0", "Namespace": ns, "Values": `{"v":"one"}`}
		r := mustRun(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
		if got := cmValue(t, env, ns, "never-cm"); got != "one@0.1.0" || r.Data["Revision"] != "1" {
			t.Errorf("after recovery and install: %s, %+v", got, r)
		}
	})
}

func TestHelmFailsNamingTheChart(t *testing.T) {
	t.Parallel()
	h, _ := newHandler(t)
	url, _ := chartRepo(t, demoChart("0.1.0", false))
	p := map[string]any{"Release": "missing", "Chart": "nope", "Repository": url}
	_, err := run(t, h, ev(t, kubectl.TypeHelmChart, cfnresponse.Create, p, nil))
	if err == nil || !strings.Contains(err.Error(), "chart nope") {
		t.Errorf("error %v, want one naming chart nope", err)
	}
}
