package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

// TestServiceTimeout checks that every Kubernetes custom resource tells
// CloudFormation to give up a minute after its handler's own limit, so a
// handler that dies without answering costs minutes, not an hour.
func TestServiceTimeout(t *testing.T) {
	t.Parallel()
	cm := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}
	for _, tc := range []struct {
		name    string
		kubectl eks.KubectlOptions
		want    string
	}{
		{"the default 15-minute handler", eks.KubectlOptions{}, "960"},
		{"a 10-minute handler", eks.KubectlOptions{Timeout: cdk.Minutes(10)}, "660"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			c := k8sCluster(stack, eks.ClusterProps{Kubectl: tc.kubectl})
			c.AddManifest("m", cm)
			c.AddHelmChart("chart", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com"})
			eks.NewKubernetesPatch(stack, "Patch", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/x",
				ApplyPatch: map[string]any{"a": 1}, RestorePatch: map[string]any{"a": 0}})
			eks.NewKubernetesObjectValue(stack, "Value", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "s", JsonPath: ".spec.clusterIP"})
			c.AwsAuth().AddAccount("123456789012")
			tp := assertions.FromStack(t, stack)
			for _, typ := range []string{eks.KubernetesManifestResourceType, eks.HelmChartResourceType, eks.KubernetesPatchResourceType,
				eks.KubernetesObjectValueResourceType, eks.AwsAuthResourceType} {
				n := len(tp.FindResources(typ, nil))
				if n == 0 {
					t.Errorf("no %s in the template", typ)
				}
				tp.ResourceCountIs(typ, n)
				if got := len(tp.FindResources(typ, map[string]any{"Properties": map[string]any{"ServiceTimeout": tc.want}})); got != n {
					t.Errorf("%d of %d %s have ServiceTimeout %s", got, n, typ, tc.want)
				}
			}
		})
	}
}
