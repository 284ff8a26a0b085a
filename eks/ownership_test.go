package eks_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func TestResourcesSendTheirOwner(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	m := c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	h := c.AddHelmChart("chart", eks.HelmChartOptions{Chart: "demo", Repository: "https://charts.example.com"})
	p := eks.NewKubernetesPatch(stack, "Patch", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/x",
		ApplyPatch: map[string]any{"spec": map[string]any{}}})
	tp := assertions.FromStack(t, stack)
	for typ, addr := range map[string]string{eks.KubernetesManifestResourceType: m.Node().Addr(),
		eks.HelmChartResourceType: h.Node().Addr(), eks.KubernetesPatchResourceType: p.Node().Addr()} {
		tp.HasResourceProperties(typ, map[string]any{"Owner": addr})
	}
}

func TestNamespaceWithARetainedNeighbourWarns(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	ns := c.AddManifest("ns", map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "apps"}})
	eks.NewKubernetesManifest(stack, "Kept", eks.KubernetesManifestProps{Cluster: c,
		Manifest:                  []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x", "namespace": "apps"}}},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{RemovalPolicy: cdk.RemovalPolicyRetain}})
	eks.NewKubernetesManifest(stack, "Deleted", eks.KubernetesManifestProps{Cluster: c,
		Manifest: []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y", "namespace": "apps"}}}})
	c.AddHelmChart("chart", eks.HelmChartOptions{Chart: "demo", Repository: "https://charts.example.com", Namespace: "apps",
		RemovalPolicy: cdk.RemovalPolicyRetain})
	assertions.FromStack(t, stack)
	var warnings []string
	for _, m := range ns.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			warnings = append(warnings, m.Data.(string))
		}
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], `Namespace "apps" is deleted with this manifest, but Stack/Kept (RemovalPolicyRetain)`) ||
		!strings.Contains(warnings[1], "chart (RemovalPolicyRetain)") || !strings.Contains(warnings[0], "RemovalPolicy: cdk.RemovalPolicyRetain") {
		t.Errorf("warnings on the namespace's manifest:\n%s", strings.Join(warnings, "\n"))
	}
}
