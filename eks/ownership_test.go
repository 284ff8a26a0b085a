package eks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
	c.AddServiceAccount("Sa", eks.ServiceAccountOptions{Name: "kept-sa", Namespace: "apps", RemovalPolicy: cdk.RemovalPolicyRetain})
	eks.NewKubernetesPatch(stack, "Patch", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/web", ResourceNamespace: "apps",
		ApplyPatch: map[string]any{"spec": map[string]any{"replicas": 2}}, RemovalPolicy: cdk.RemovalPolicyRetain})
	eks.NewKubernetesPatch(stack, "Elsewhere", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/web", ResourceNamespace: "other",
		ApplyPatch: map[string]any{"spec": map[string]any{"replicas": 2}}, RemovalPolicy: cdk.RemovalPolicyRetain})
	assertions.FromStack(t, stack)
	var warnings []string
	for _, m := range ns.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			warnings = append(warnings, m.Data.(string))
		}
	}
	if len(warnings) != 4 || !strings.Contains(warnings[0], `Namespace "apps" is deleted with this manifest, but Stack/Kept (RemovalPolicyRetain)`) ||
		!strings.Contains(warnings[2], "chart (RemovalPolicyRetain)") || !strings.Contains(warnings[0], "RemovalPolicy: cdk.RemovalPolicyRetain") ||
		!strings.Contains(warnings[1], "Sa/") || !strings.Contains(warnings[3], "Stack/Patch (RemovalPolicyRetain)") {
		t.Errorf("warnings on the namespace's manifest:\n%s", strings.Join(warnings, "\n"))
	}
}

// TestManifestsDeclareStackObjects checks StackObjects: every manifest of
// a stack reads, through one template mapping per cluster, what all the
// stack's manifests on that cluster declare (the kubectl handler's
// ObjectKeyHash of each object, by construct address), and nothing of
// another stack's.
func TestManifestsDeclareStackObjects(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := k8sCluster(stack)
	a := c.AddManifest("a", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}},
		map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "apps"}})
	b := c.AddManifest("b", map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "api", "namespace": "web"},
		"spec": map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
			"template": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": "api"}},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "api", "image": "nginx"}}}}}})
	other := cdk.NewStack(app, "Other", cdk.StackProps{})
	eks.NewKubernetesManifest(other, "Elsewhere", eks.KubernetesManifestProps{Cluster: c,
		Manifest: []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}}}})

	tmpl := templateOf(t, stack)
	mappings, _ := tmpl["Mappings"].(map[string]any)
	m, _ := mappings["EksforgeStackObjects"].(map[string]any)
	if len(m) != 1 {
		t.Fatalf("mapping EksforgeStackObjects %v, want one cluster", m)
	}
	var key string
	var value string
	for k, v := range m {
		key, value = k, v.(map[string]any)["Objects"].(string)
	}
	var got map[string][]string
	if err := json.Unmarshal([]byte(value), &got); err != nil {
		t.Fatal(err)
	}
	// Test vectors shared with handlers/kubectl (TestObjectKeyHash).
	want := map[string][]string{
		a.Node().Addr(): {"0920cd20659c78ec", "80859608d54ba712"}, // /ConfigMap/default/x, /Namespace//apps
		b.Node().Addr(): {"f676bdc3fedfa9e3"},                     // apps/Deployment/web/api
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StackObjects (-want +got):\n%s", diff)
	}
	for _, r := range resourcesOfType(tmpl, eks.KubernetesManifestResourceType) {
		p := r["Properties"].(map[string]any)
		if diff := cmp.Diff(map[string]any{"Fn::FindInMap": []any{"EksforgeStackObjects", key, "Objects"}}, p["StackObjects"]); diff != "" {
			t.Errorf("property StackObjects (-want +got):\n%s", diff)
		}
	}
}

// TestChartsAndPatchesDeclareStackObjects checks StackObjects of Helm
// charts (their releases) and patches (their targets, as written), each
// kind under its own key of the mapping, read by every resource of that
// kind on the cluster.
func TestChartsAndPatchesDeclareStackObjects(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	h := c.AddHelmChart("api", eks.HelmChartOptions{Chart: "demo", Repository: "https://charts.example.com", Release: "api", Namespace: "web"})
	p := eks.NewKubernetesPatch(stack, "Scale", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/api", ResourceNamespace: "web",
		ApplyPatch: map[string]any{"spec": map[string]any{"replicas": 2}}})
	tmpl := templateOf(t, stack)
	mappings, _ := tmpl["Mappings"].(map[string]any)
	m, _ := mappings["EksforgeStackObjects"].(map[string]any)
	if len(m) != 1 {
		t.Fatalf("mapping EksforgeStackObjects %v, want one cluster", m)
	}
	for key, v := range m {
		for _, tc := range []struct {
			kind, typ string
			want      map[string][]string
		}{
			// Test vector shared with handlers/kubectl (TestObjectKeyHash): helm.sh/Release/web/api.
			{"Releases", eks.HelmChartResourceType, map[string][]string{h.Node().Addr(): {"29fead52fc213892"}}},
			{"Patches", eks.KubernetesPatchResourceType, map[string][]string{p.Node().Addr(): {"deployment/api web"}}},
		} {
			var got map[string][]string
			if err := json.Unmarshal([]byte(v.(map[string]any)[tc.kind].(string)), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("StackObjects of %s (-want +got):\n%s", tc.kind, diff)
			}
			for _, r := range resourcesOfType(tmpl, tc.typ) {
				want := map[string]any{"Fn::FindInMap": []any{"EksforgeStackObjects", key, tc.kind}}
				if diff := cmp.Diff(want, r["Properties"].(map[string]any)["StackObjects"]); diff != "" {
					t.Errorf("property StackObjects of %s (-want +got):\n%s", tc.typ, diff)
				}
			}
		}
	}
}
