package eks_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
)

// TestKubernetesSideMatchesAwsCdkLib synthesizes testdata/k8sparity/app.js
// with aws-cdk-lib's aws-eks-v2 and the same app here, and compares what the
// handlers receive: the manifest's objects (prune label included: the
// construct addresses are the same), the Helm chart's settings, the patch,
// the object value, and the service account's object and IRSA trust
// condition (a CfnJson custom resource there, a JSON-string trust document
// here). docs/architecture.md ("## EKS", part 2) lists the differences on
// purpose, which are normalised away below.
func TestKubernetesSideMatchesAwsCdkLib(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node; skipped with -short")
	}
	t.Parallel()
	app, stack := cdk.NewApp(cdk.AppProps{}), (*cdk.Stack)(nil)
	stack = cdk.NewStack(app, "K8s", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	appLabel := map[string]any{"app": "hello-kubernetes"}
	cluster.AddManifest("hello-kub",
		map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "hello-kubernetes"},
			"spec": map[string]any{"type": "LoadBalancer", "ports": []any{map[string]any{"port": 80, "targetPort": 8080}}, "selector": appLabel}},
		map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "hello-kubernetes"},
			"spec": map[string]any{"replicas": 3, "selector": map[string]any{"matchLabels": appLabel},
				"template": map[string]any{"metadata": map[string]any{"labels": appLabel}, "spec": map[string]any{"containers": []any{
					map[string]any{"name": "hello-kubernetes", "image": "paulbouwer/hello-kubernetes:1.5", "ports": []any{map[string]any{"containerPort": 8080}}}}}}}},
	)
	cluster.AddHelmChart("NginxIngress", eks.HelmChartOptions{
		Chart: "nginx-ingress", Repository: "https://helm.nginx.com/stable", Namespace: "kube-system",
		Version: "2.3.1", Values: map[string]any{"controller": map[string]any{"replicaCount": 2}}, Wait: true, Atomic: true, SkipCrds: true,
	})
	eks.NewKubernetesPatch(stack, "Patch", eks.KubernetesPatchProps{Cluster: cluster, ResourceName: "deployment/hello-kubernetes",
		ApplyPatch: map[string]any{"spec": map[string]any{"replicas": 5}}, RestorePatch: map[string]any{"spec": map[string]any{"replicas": 3}}})
	eks.NewKubernetesObjectValue(stack, "Value", eks.KubernetesObjectValueProps{Cluster: cluster, ObjectType: "service", ObjectName: "my-service",
		JsonPath: ".status.loadBalancer.ingress[0].hostname"})
	sa := cluster.AddServiceAccount("MyServiceAccount", eks.ServiceAccountOptions{Namespace: "apps"})
	cdk.NewCfnOutput(stack, "Name", cdk.CfnOutputProps{Value: sa.ServiceAccountName()})
	ours := templateOf(t, stack)

	dir := cdklib.Synth(t, filepath.Join("testdata", "k8sparity", "app.js"))
	theirs := cdkTemplate(t, dir, "K8s")

	// Custom resources by type: the properties the handler reads.
	for _, typ := range []string{eks.KubernetesManifestResourceType, eks.HelmChartResourceType, eks.KubernetesPatchResourceType, eks.KubernetesObjectValueResourceType} {
		want, got := handlerInputs(theirs, typ), handlerInputs(ours, typ)
		if len(want) == 0 {
			t.Errorf("aws-cdk-lib has no %s", typ)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-aws-cdk-lib +eksforge):\n%s", typ, diff)
		}
	}
	if a, b := theirs["Outputs"].(map[string]any)["Name"], ours["Outputs"].(map[string]any)["Name"]; !cmp.Equal(a, b) {
		t.Errorf("service account name: aws-cdk-lib %v, eksforge %v", a, b)
	}

	// The IRSA condition: aws-cdk-lib's CfnJson value, keys rendered.
	var want map[string]any
	for _, r := range resourcesOfType(theirs, "Custom::AWSCDKCfnJson") {
		var v map[string]any
		if err := json.Unmarshal([]byte(renderIntrinsics(r["Properties"].(map[string]any)["Value"])), &v); err != nil {
			t.Fatal(err)
		}
		want = v
	}
	var trust map[string]any
	for id, r := range resourcesOfType(ours, "AWS::IAM::Role") {
		if strings.HasPrefix(id, "ClusterMyServiceAccountRole") {
			if err := json.Unmarshal([]byte(renderIntrinsics(r["Properties"].(map[string]any)["AssumeRolePolicyDocument"])), &trust); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(want) != 2 || trust == nil {
		t.Fatalf("conditions: aws-cdk-lib %v, eksforge trust %v", want, trust)
	}
	st := trust["Statement"].([]any)[0].(map[string]any)
	got := st["Condition"].(map[string]any)["StringEquals"].(map[string]any)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IRSA StringEquals condition (-aws-cdk-lib +eksforge):\n%s", diff)
	}
	for id, r := range resourcesOfType(theirs, "AWS::IAM::Role") {
		if !strings.HasPrefix(id, "ClusterMyServiceAccountRole") {
			continue
		}
		cs := r["Properties"].(map[string]any)["AssumeRolePolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)
		if cs["Action"] != st["Action"] || renderIntrinsics(cs["Principal"]) != renderIntrinsics(st["Principal"]) {
			t.Errorf("trust statement: aws-cdk-lib %v %v, eksforge %v %v", cs["Action"], cs["Principal"], st["Action"], st["Principal"])
		}
	}
}

func cdkTemplate(t *testing.T, dir, stack string) map[string]any {
	t.Helper()
	return cdklib.Template(t, dir, stack)
}

// handlerInputs returns, per logical ID, the properties of the custom
// resources of typ that the handler reads, decoded: JSON strings parsed,
// intrinsics rendered, and the intended differences removed (ServiceToken,
// eksforge's Owner and StackObjects (docs/custom-resources.md, Ownership),
// the Helm timeout's spelling; aws-cdk-lib's key order in JSON strings).
func handlerInputs(tmpl map[string]any, typ string) map[string]any {
	out := map[string]any{}
	for id, r := range resourcesOfType(tmpl, typ) {
		props := map[string]any{}
		for k, v := range r["Properties"].(map[string]any) {
			switch k {
			case "ServiceToken", "ServiceTimeout", "Timeout", "Owner", "StackObjects":
				continue
			case "Manifest", "Values", "ApplyPatchJson", "RestorePatchJson":
				var x any
				if err := json.Unmarshal([]byte(renderIntrinsics(v)), &x); err == nil {
					props[k] = x
					continue
				}
			}
			props[k] = renderIntrinsics(v)
		}
		out[id] = props
	}
	return out
}

// renderIntrinsics renders a value with Fn::Join joined and other
// intrinsics as readable placeholders, as a string (JSON for objects).
func renderIntrinsics(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok && len(x) == 1 {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, renderIntrinsics(p))
			}
			return strings.Join(parts, j[0].(string))
		}
		if r, ok := x["Ref"].(string); ok && len(x) == 1 {
			return "{Ref " + r + "}"
		}
		if g, ok := x["Fn::GetAtt"].([]any); ok && len(x) == 1 {
			return "{" + g[0].(string) + "." + g[1].(string) + "}"
		}
		if s, ok := x["Fn::Select"].([]any); ok && len(x) == 1 {
			// The issuer, taken from the OIDC provider's ARN on both sides.
			if sp, ok := s[1].(map[string]any)["Fn::Split"].([]any); ok {
				return "{Select " + renderIntrinsics(sp[1]) + " after " + sp[0].(string) + "}"
			}
			return "{Select}"
		}
		m := map[string]any{}
		for k, e := range x {
			m[renderIntrinsics(k)] = renderValue(e)
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// renderValue keeps the JSON shape of plain values and renders intrinsics
// to strings.
func renderValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return renderIntrinsics(x)
				}
			}
		}
		m := map[string]any{}
		for k, e := range x {
			m[k] = renderValue(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = renderValue(e)
		}
		return out
	}
	return v
}
