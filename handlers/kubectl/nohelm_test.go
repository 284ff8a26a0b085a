//go:build nohelm

package kubectl_test

import (
	"context"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
)

// withHelm is false in the handler built with -tags nohelm.
const withHelm = false

// testChartRepo returns a repository URL nothing listens on: the handler
// built with -tags nohelm refuses a chart before reading its repository.
func testChartRepo(t *testing.T) string {
	t.Helper()
	return "http://127.0.0.1:9/charts"
}

// TestNoHelmRefusesCharts checks that the handler built without the Helm
// SDK answers a chart's every request type with an error that says which
// handler serves charts, and leaves the cluster alone.
func TestNoHelmRefusesCharts(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	p := map[string]any{"Release": "nohelm", "Chart": "demo", "Repository": testChartRepo(t), "Namespace": ns}
	for _, rt := range []cfnresponse.RequestType{cfnresponse.Create, cfnresponse.Update, cfnresponse.Delete} {
		e := ev(t, kubectl.TypeHelmChart, rt, p, p)
		e.PhysicalResourceId = "nohelm"
		_, err := h.OnEvent(context.Background(), e)
		if err == nil || !strings.Contains(err.Error(), "built without Helm (-tags nohelm)") || !strings.Contains(err.Error(), "HelmHandler") {
			t.Errorf("%s: error %v, want the nohelm refusal naming the HelmHandler", rt, err)
		}
	}
	if get(t, env, cmGVR, ns, "nohelm-cm") != nil {
		t.Error("a refused chart left a ConfigMap")
	}
}
