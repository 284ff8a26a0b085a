package eks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func k8sCluster(stack *cdk.Stack, props ...eks.ClusterProps) *eks.Cluster {
	return clusterWithoutCapacity(stack, props...)
}

// manifestOf returns the objects of the manifest resource with the logical
// ID prefix, from its Manifest property (a literal JSON string or a Fn::Join
// whose tokens are rendered as "<token>").
func manifestOf(t *testing.T, tmpl map[string]any, prefix string) []map[string]any {
	t.Helper()
	for id, r := range resourcesOfType(tmpl, eks.KubernetesManifestResourceType) {
		if !strings.HasPrefix(id, prefix) {
			continue
		}
		s := joinString(r["Properties"].(map[string]any)["Manifest"])
		var out []map[string]any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatalf("%s: Manifest is not JSON: %v\n%s", id, err, s)
		}
		return out
	}
	t.Fatalf("no manifest %s*", prefix)
	return nil
}

// joinString renders a string or Fn::Join with "<token>" for intrinsics.
func joinString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok {
			var b strings.Builder
			for _, p := range j[1].([]any) {
				if s, ok := p.(string); ok {
					b.WriteString(s)
				} else {
					b.WriteString("<token>")
				}
			}
			return b.String()
		}
	}
	return "<token>"
}

func TestKubectlProviderIsLazyAndAuthorised(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	k8sCluster(stack)
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs("AWS::Lambda::Function", 0)

	_, stack2 := newStack()
	c := k8sCluster(stack2)
	m := c.AddManifest("cm", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	c.AddManifest("cm2", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}})
	tmpl := templateOf(t, stack2)
	tp = assertions.FromJSON(t, tmpl)
	tp.ResourceCountIs("AWS::Lambda::Function", 1)
	tp.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{"arm64"},
		"MemorySize": 256, "Timeout": 900,
		"Environment": map[string]any{"Variables": map[string]any{"AWS_STS_REGIONAL_ENDPOINTS": "regional"}},
	})
	tp.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"PrincipalArn": map[string]any{"Fn::GetAtt": []any{"ClusterKubectlProviderHandlerServiceRoleB460AA6D", "Arn"}},
		"AccessPolicies": []any{Match.ObjectLike(map[string]any{
			"AccessScope": map[string]any{"Type": "cluster"},
			"PolicyArn":   Match.AnyValue(),
		})},
	})
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{
		"Action": "eks:DescribeCluster", "Resource": map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "Arn"}}})})}})
	// On Delete the handler waits for load balancers to be gone.
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{
		"Action": []any{"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags"}, "Resource": "*"})})}})
	tp.HasResource(eks.KubernetesManifestResourceType, map[string]any{
		"DependsOn":      Match.ArrayWith([]any{"ClusterClusterAdminRoleAccessF2BFF759"}),
		"DeletionPolicy": "Delete",
		"Properties": Match.ObjectLike(map[string]any{
			"ServiceToken": map[string]any{"Fn::GetAtt": []any{"ClusterKubectlProviderHandler2E05C68A", "Arn"}},
			"ClusterName":  map[string]any{"Ref": "ClusterEB0386A7"},
			"PruneLabel":   eks.PruneLabelPrefix + m.Node().Addr(),
		}),
	})
}

func TestKubectlOptions(t *testing.T) {
	t.Parallel()
	t.Run("environment, memory, timeout and VPC placement", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{
			Environment: map[string]string{"HTTPS_PROXY": "http://proxy:3128"},
			Memory:      cdk.Gibibytes(1),
			Timeout:     cdk.Minutes(10),
			Placement:   eks.KubectlPlacementVpc,
		}})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		tp := assertions.FromStack(t, stack)
		tp.HasResourceProperties("AWS::Lambda::Function", map[string]any{
			"MemorySize": 1024, "Timeout": 600,
			"Environment": map[string]any{"Variables": map[string]any{"AWS_STS_REGIONAL_ENDPOINTS": "regional", "HTTPS_PROXY": "http://proxy:3128"}},
			"VpcConfig": map[string]any{
				"SecurityGroupIds": []any{map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "ClusterSecurityGroupId"}}},
				"SubnetIds":        Match.ArrayWith([]any{map[string]any{"Ref": Match.StringLikeRegexp("PrivateSubnet1")}}),
			},
		})
	})
	t.Run("private endpoint puts the handler in the VPC", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		assertions.FromStack(t, stack).HasResourceProperties("AWS::Lambda::Function", map[string]any{"VpcConfig": Match.AnyValue()})
	})
	t.Run("private endpoint with explicit outside placement", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate, Kubectl: eks.KubectlOptions{Placement: eks.KubectlPlacementOutsideVpc}})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		assertions.FromStack(t, stack).HasResourceProperties("AWS::Lambda::Function", map[string]any{"VpcConfig": Match.Absent()})
	})
	t.Run("provider from ARN for an imported cluster", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		p := eks.KubectlProviderFromArn(stack, "Kubectl", eks.KubectlProviderAttributes{
			FunctionArn: "arn:aws:lambda:us-east-1:111111111111:function:kubectl",
			RoleArn:     "arn:aws:iam::111111111111:role/admin",
		})
		c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{ClusterName: "prod", Kubectl: eks.KubectlOptions{Provider: p}})
		eks.AddManifest(c, "x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		tp := assertions.FromStack(t, stack)
		tp.ResourceCountIs("AWS::Lambda::Function", 0)
		tp.ResourceCountIs("AWS::EKS::AccessEntry", 0)
		tp.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{
			"ServiceToken": "arn:aws:lambda:us-east-1:111111111111:function:kubectl",
			"RoleArn":      "arn:aws:iam::111111111111:role/admin",
			"ClusterName":  "prod",
		})
	})
	t.Run("imported cluster gets its own handler and access entry", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{ClusterName: "prod"})
		eks.AddHelmChart(c, "x", eks.HelmChartOptions{Chart: "x", Repository: "https://charts.example.com"})
		tp := assertions.FromStack(t, stack)
		tp.ResourceCountIs("AWS::Lambda::Function", 2) // the kubectl and Helm handlers
		tp.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{"ClusterName": "prod"})
	})
	t.Run("fails in CONFIG_MAP mode without a provider", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeConfigMap})
		c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
		wantError(t, app, "[Stack/Cluster/KubectlProvider]", "CONFIG_MAP", "API_AND_CONFIG_MAP")
	})
}

func TestManifestObjects(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	replicas := int32(2)
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w"}}}
	c.AddManifest("all",
		map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "m", "labels": map[string]any{"a": "b"}}, "data": map[string]any{"cluster": c.ClusterName()}},
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "d"}, Spec: appsv1.DeploymentSpec{Replicas: &replicas,
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}}},
		u,
		corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "by-value"}},
		eks.YAML("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n"),
	)
	objs := manifestOf(t, templateOf(t, stack), "Clustermanifestall")
	var kinds []string
	for _, o := range objs {
		kinds = append(kinds, o["apiVersion"].(string)+" "+o["kind"].(string))
		labels := o["metadata"].(map[string]any)["labels"].(map[string]any)
		if _, ok := labels[eks.PruneLabelPrefix+c.Node().FindChild("manifest-all").Node().Addr()]; !ok {
			t.Errorf("%s has no prune label: %v", o["kind"], labels)
		}
	}
	if diff := cmp.Diff([]string{"v1 ConfigMap", "apps/v1 Deployment", "example.com/v1 Widget", "v1 Namespace", "v1 Secret", "v1 Service"}, kinds); diff != "" {
		t.Errorf("objects in order (-want +got):\n%s", diff)
	}
	if got := objs[0]["data"].(map[string]any)["cluster"]; got != "<token>" {
		t.Errorf("token value: %v", got)
	}
	if got := objs[0]["metadata"].(map[string]any)["labels"].(map[string]any)["a"]; got != "b" {
		t.Errorf("user label lost: %v", got)
	}
	d := objs[1]
	if _, ok := d["status"]; ok {
		t.Error("typed object keeps its status")
	}
	if _, ok := d["metadata"].(map[string]any)["creationTimestamp"]; ok {
		t.Error("typed object keeps creationTimestamp: null")
	}
	if got := d["spec"].(map[string]any)["replicas"]; got != float64(2) {
		t.Errorf("replicas: %v", got)
	}
}

func TestManifestOptions(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{DisablePrune: true}})
	eks.NewKubernetesManifest(stack, "M", eks.KubernetesManifestProps{
		Cluster:                   c,
		Manifest:                  []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{Overwrite: true, SkipValidation: true, RemovalPolicy: cdk.RemovalPolicyRetain},
	})
	eks.NewKubernetesManifest(stack, "Pruned", eks.KubernetesManifestProps{
		Cluster:                   c,
		Manifest:                  []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}}},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{Prune: cdk.Ptr(true)},
	})
	tp := assertions.FromStack(t, stack)
	tp.HasResource(eks.KubernetesManifestResourceType, map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": Match.ObjectLike(map[string]any{
			"Overwrite": "true", "SkipValidation": "true", "PruneLabel": Match.Absent(),
			"Manifest": `[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}]`,
		}),
	})
	tp.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{"PruneLabel": Match.StringLikeRegexp("^aws.cdk.eks/prune-c8[0-9a-f]{40}$")})
}

func TestManifestImplicitOrdering(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	// Users first, providers later: the order of definition does not matter.
	app := c.AddManifest("app", map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "a", "namespace": "team"},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"serviceAccountName": "robot", "containers": []any{}}}}})
	widget := c.AddManifest("widget", map[string]any{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w"}})
	unrelated := c.AddManifest("unrelated", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "u"}})
	c.AddManifest("ns", map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "team"}})
	c.AddManifest("crd", map[string]any{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": map[string]any{"name": "widgets.example.com"},
		"spec": map[string]any{"group": "example.com", "names": map[string]any{"kind": "Widget", "plural": "widgets"}}})
	c.AddServiceAccount("robot", eks.ServiceAccountOptions{Name: "robot", Namespace: "team"})
	chart := c.AddHelmChart("c", eks.HelmChartOptions{Chart: "x", Repository: "https://c.example.com", Namespace: "team", DisableCreateNamespace: true})
	tmpl := templateOf(t, stack)
	dependsOn := func(prefix string) []string {
		for id, r := range tmpl["Resources"].(map[string]any) {
			if strings.HasPrefix(id, prefix) {
				var out []string
				for _, d := range r.(map[string]any)["DependsOn"].([]any) {
					out = append(out, d.(string))
				}
				return out
			}
		}
		t.Fatalf("no %s", prefix)
		return nil
	}
	has := func(deps []string, prefix string) bool {
		for _, d := range deps {
			if strings.HasPrefix(d, prefix) {
				return true
			}
		}
		return false
	}
	_ = app
	_ = widget
	_ = unrelated
	_ = chart
	for _, tc := range []struct{ res, dep string }{
		{"Clustermanifestapp", "Clustermanifestns"},
		{"Clustermanifestapp", "ClusterrobotmanifestrobotServiceAccountResource"},
		{"Clustermanifestwidget", "Clustermanifestcrd"},
		{"ClusterrobotmanifestrobotServiceAccountResource", "Clustermanifestns"},
		{"Clusterchartc", "Clustermanifestns"},
	} {
		if !has(dependsOn(tc.res), tc.dep) {
			t.Errorf("%s does not depend on %s: %v", tc.res, tc.dep, dependsOn(tc.res))
		}
	}
	if d := dependsOn("Clustermanifestunrelated"); len(d) != 1 {
		t.Errorf("unrelated manifest depends on %v, want only the access entry", d)
	}
}

func TestLargeManifestTravelsAsAsset(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{Outdir: t.TempDir()})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	c := k8sCluster(stack)
	var objs []any
	for i := range 6 {
		data := map[string]any{}
		for j := range 100 {
			data[strings.Repeat("k", 3)+string(rune('a'+j%26))+strings.Repeat("x", j)] = strings.Repeat("v", 8500)
		}
		objs = append(objs, map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "big" + string(rune('a'+i))}, "data": data})
	}
	c.AddManifest("big", objs...)
	asm, err := app.Synth()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := asm.TemplateOf(stack)
	if len(b) > 100*1024 {
		t.Errorf("template is %d bytes", len(b))
	}
	tp := assertions.FromStack(t, stack)
	var key string
	for _, r := range tp.FindResources(eks.KubernetesManifestResourceType, nil) {
		p := r["Properties"].(map[string]any)
		if _, ok := p["Manifest"]; ok {
			t.Error("inline Manifest with ManifestAsset")
		}
		key = p["ManifestAsset"].(map[string]any)["Key"].(string)
	}
	if !strings.HasSuffix(key, ".json") {
		t.Fatalf("asset key %q", key)
	}
	data, err := os.ReadFile(filepath.Join(asm.Directory, "asset."+key))
	if err != nil {
		t.Fatalf("asset not staged: %v", err)
	}
	var back []map[string]any
	if err := json.Unmarshal(data, &back); err != nil || len(back) != 6 || len(data) < 5_000_000 {
		t.Errorf("asset holds %d objects, %d bytes (%v)", len(back), len(data), err)
	}
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{
		"Action": "s3:GetObject"})})}})
}

func TestManifestErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		objects []any
		want    []string
	}{
		{"fails without apiVersion, kind and name", []any{map[string]any{"metadata": map[string]any{}}}, []string{"[Stack/Cluster/manifest-bad]", "object 1", "has no apiVersion, kind, metadata.name"}},
		{"fails without metadata.name", []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap"}}, []string{"object 1 (v1 ConfigMap) has no metadata.name"}},
		{"fails on invalid YAML", []any{eks.YAML("apiVersion: v1\nkind: [unclosed\n")}, []string{"[Stack/Cluster/manifest-bad]", "YAML document 1"}},
		{"fails on a token in a key", []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}, "data": map[string]any{cdk.Aws.Region: "x"}}},
			[]string{"[Stack/Cluster/manifest-bad]", "token", "map key data."}},
		{"fails on a non-object", []any{42}, []string{"object 1", "not a Kubernetes object"}},
		{"fails without objects", nil, []string{"has no objects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := k8sCluster(stack)
			c.AddManifest("bad", tc.objects...)
			wantError(t, app, tc.want...)
		})
	}
}

func TestManifestsFromYAML(t *testing.T) {
	t.Parallel()
	objs, err := eks.ManifestsFromYAML(strings.NewReader("# c\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].(map[string]any)["kind"] != "ConfigMap" || objs[1].(map[string]any)["kind"] != "Namespace" {
		t.Errorf("objects: %v", objs)
	}
	if _, err := eks.ManifestsFromYAML(strings.NewReader("a: [b\n")); err == nil {
		t.Error("invalid YAML accepted")
	}
}

func TestPatch(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	eks.NewKubernetesPatch(stack, "P", eks.KubernetesPatchProps{
		Cluster: c, ResourceName: "deployment/hello-kubernetes",
		ApplyPatch: map[string]any{"spec": map[string]any{"replicas": 5}}, RestorePatch: map[string]any{"spec": map[string]any{"replicas": 3}},
	})
	eks.NewKubernetesPatch(stack, "J", eks.KubernetesPatchProps{
		Cluster: c, ResourceName: "deployment/coredns", ResourceNamespace: "kube-system", PatchType: eks.PatchTypeJSON,
		ApplyPatch: []eks.JSONPatchOperation{{Op: "replace", Path: "/spec/replicas", Value: 4}},
	})
	eks.NewKubernetesPatch(stack, "M", eks.KubernetesPatchProps{
		Cluster: c, ResourceName: "service/x", PatchType: eks.PatchTypeMerge, ApplyPatch: map[string]any{"metadata": map[string]any{"labels": map[string]any{"a": "b"}}},
	})
	tp := assertions.FromStack(t, stack)
	tp.HasResourceProperties(eks.KubernetesPatchResourceType, map[string]any{
		"ResourceName": "deployment/hello-kubernetes", "ResourceNamespace": "default", "PatchType": "strategic",
		"ApplyPatchJson": `{"spec":{"replicas":5}}`, "RestorePatchJson": `{"spec":{"replicas":3}}`,
	})
	tp.HasResourceProperties(eks.KubernetesPatchResourceType, map[string]any{
		"ResourceNamespace": "kube-system", "PatchType": "json",
		"ApplyPatchJson": `[{"op":"replace","path":"/spec/replicas","value":4}]`, "RestorePatchJson": "[]",
	})
	tp.HasResourceProperties(eks.KubernetesPatchResourceType, map[string]any{"PatchType": "merge", "RestorePatchJson": "{}"})
}

func TestPatchErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		props eks.KubernetesPatchProps
		want  []string
	}{
		{"fails without a resource name", eks.KubernetesPatchProps{ApplyPatch: map[string]any{"a": 1}}, []string{"[Stack/P]", "ResourceName is required"}},
		{"fails on a name without type", eks.KubernetesPatchProps{ResourceName: "coredns", ApplyPatch: map[string]any{"a": 1}}, []string{"\"<type>/<name>\""}},
		{"fails on a JSON patch that is an object", eks.KubernetesPatchProps{ResourceName: "a/b", PatchType: eks.PatchTypeJSON, ApplyPatch: map[string]any{"a": 1}}, []string{"list of operations"}},
		{"fails on a strategic patch that is a list", eks.KubernetesPatchProps{ResourceName: "a/b", ApplyPatch: []any{1}}, []string{"must be an object", "PatchTypeJSON"}},
		{"fails without apply patch", eks.KubernetesPatchProps{ResourceName: "a/b"}, []string{"ApplyPatch is required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			tc.props.Cluster = k8sCluster(stack)
			eks.NewKubernetesPatch(stack, "P", tc.props)
			wantError(t, app, tc.want...)
		})
	}
}

func TestObjectValue(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	v := eks.NewKubernetesObjectValue(stack, "V", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "s", JsonPath: ".spec.clusterIP", Timeout: cdk.Minutes(2)})
	addr := c.GetServiceLoadBalancerAddress("my-service")
	again := c.GetServiceLoadBalancerAddress("my-service")
	cdk.NewCfnOutput(stack, "Addr", cdk.CfnOutputProps{Value: addr})
	cdk.NewCfnOutput(stack, "V1", cdk.CfnOutputProps{Value: v.Value()})
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs(eks.KubernetesObjectValueResourceType, 2)
	tp.HasResourceProperties(eks.KubernetesObjectValueResourceType, map[string]any{"ObjectType": "service", "ObjectName": "s", "ObjectNamespace": "default", "JsonPath": ".spec.clusterIP", "TimeoutSeconds": "120"})
	tp.HasResourceProperties(eks.KubernetesObjectValueResourceType, map[string]any{"ObjectName": "my-service", "JsonPath": ".status.loadBalancer.ingress[0].hostname", "TimeoutSeconds": "300"})
	tp.HasOutput("Addr", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^Clustermyservice"), "Value"}}})
	if addr != again {
		t.Error("the same service's address made a second resource")
	}

	app2, stack2 := newStack()
	eks.NewKubernetesObjectValue(stack2, "V", eks.KubernetesObjectValueProps{Cluster: k8sCluster(stack2), ObjectType: "service", ObjectName: "s", JsonPath: ".x", Timeout: cdk.Hours(2)})
	wantError(t, app2, "[Stack/V]", "Timeout 2 hours is longer than CloudFormation waits for a custom resource: at most 59 minutes")
}

func TestHelmChart(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	c.AddHelmChart("nginx", eks.HelmChartOptions{Chart: "nginx-ingress", Repository: "https://helm.nginx.com/stable", Namespace: "kube-system"})
	c.AddHelmChart("full", eks.HelmChartOptions{
		Chart: "app", Repository: "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts", Version: "1.2.3",
		Values: map[string]any{"cluster": c.ClusterName(), "n": 2}, DisableCreateNamespace: true, Wait: true, Timeout: cdk.Minutes(10),
		Atomic: true, SkipCrds: true, Release: "my-release", RemovalPolicy: cdk.RemovalPolicyRetain,
	})
	tp := assertions.FromStack(t, stack)
	tp.HasResourceProperties(eks.HelmChartResourceType, map[string]any{
		"Chart": "nginx-ingress", "Repository": "https://helm.nginx.com/stable", "Namespace": "kube-system",
		"Release": "stackclusterchartnginx85ef5a3a", "CreateNamespace": "true",
		"Wait": Match.Absent(), "Timeout": Match.Absent(), "Values": Match.Absent(), "Version": Match.Absent(),
	})
	tp.HasResource(eks.HelmChartResourceType, map[string]any{"DeletionPolicy": "Retain", "Properties": Match.ObjectLike(map[string]any{
		"Release": "my-release", "Version": "1.2.3", "Namespace": "default", "CreateNamespace": Match.Absent(),
		"Wait": "true", "Timeout": "10m0s", "Atomic": "true", "SkipCrds": "true",
		"Values": map[string]any{"Fn::Join": []any{"", []any{`{"cluster":"`, map[string]any{"Ref": "ClusterEB0386A7"}, `","n":2}`}}},
	})})
	// A chart in a private ECR registry lets the handler pull from that
	// repository only (TestEcrPullOnlyFromUsedRepositories).
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{
		Match.ObjectLike(map[string]any{"Action": eks.EcrPullActions, "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/charts/app"})})}})
}

func TestHelmChartReleaseNameDefaultIsCut(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	h := c.AddHelmChart("a-very-long-chart-identifier-that-goes-on-and-on-and-on", eks.HelmChartOptions{Chart: "x", Repository: "https://x.example.com"})
	if len(h.Release()) != 53 || strings.ToLower(h.Release()) != h.Release() {
		t.Errorf("release %q (%d)", h.Release(), len(h.Release()))
	}
	if !strings.HasSuffix(strings.ToUpper(cdk.UniqueID(h)), strings.ToUpper(h.Release())) {
		t.Errorf("release %q is not the end of the unique ID %q", h.Release(), cdk.UniqueID(h))
	}
}

func TestHelmChartLocalAssetIsDeterministic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte("apiVersion: v2\nname: mychart\nversion: 0.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for range 2 {
		_, stack := newStack()
		c := k8sCluster(stack)
		c.AddHelmChart("local", eks.HelmChartOptions{ChartAsset: dir})
		for _, r := range assertions.FromStack(t, stack).FindResources(eks.HelmChartResourceType, nil) {
			p := r["Properties"].(map[string]any)
			keys[p["ChartAsset"].(map[string]any)["Key"].(string)] = true
			if _, ok := p["Chart"]; ok {
				t.Error("Chart with ChartAsset")
			}
		}
		// Touch the files: times are not part of the package.
		_ = os.Chtimes(filepath.Join(dir, "Chart.yaml"), cdkNow(), cdkNow())
	}
	if len(keys) != 1 {
		t.Errorf("the same chart directory gave different assets: %v", keys)
	}
}

func TestHelmChartErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts eks.HelmChartOptions
		want []string
	}{
		{"fails without chart", eks.HelmChartOptions{Repository: "https://x"}, []string{"[Stack/Cluster/chart-c]", "neither Chart nor ChartAsset"}},
		{"fails with a timeout over the handler's", eks.HelmChartOptions{Chart: "x", Timeout: cdk.Minutes(15)}, []string{"[Stack/Cluster/chart-c]", "Timeout 15 minutes is longer than one kubectl handler invocation (15 minutes) and Wait is false", "a Timeout of at most 14 minutes"}},
		{"fails with a release name over 53 characters", eks.HelmChartOptions{Chart: "x", Release: strings.Repeat("r", 54)}, []string{"[Stack/Cluster/chart-c]", "54 characters long; Helm allows at most 53"}},
		{"fails with an invalid release name", eks.HelmChartOptions{Chart: "x", Release: "My_Release"}, []string{"not a valid Helm release name"}},
		{"fails with a repository that is not a URL", eks.HelmChartOptions{Chart: "x", Repository: "helm.nginx.com"}, []string{"https:// chart repository or an oci:// registry"}},
		{"fails with version and chart asset", eks.HelmChartOptions{ChartAsset: "/nonexistent", Version: "1"}, []string{"cannot be used with ChartAsset"}},
		{"fails with a missing chart directory", eks.HelmChartOptions{ChartAsset: "/nonexistent"}, []string{"is not a Helm chart directory"}},
		{"fails with a token in a values key", eks.HelmChartOptions{Chart: "x", Values: map[string]any{"a": map[string]any{cdk.Aws.AccountID: 1}}}, []string{"[Stack/Cluster/chart-c]", "token", "map key a."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := k8sCluster(stack)
			c.AddHelmChart("c", tc.opts)
			wantError(t, app, tc.want...)
		})
	}
	t.Run("timeout limit follows the handler's", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{Timeout: cdk.Minutes(5)}})
		c.AddHelmChart("c", eks.HelmChartOptions{Chart: "x", Timeout: cdk.Minutes(5)})
		wantError(t, app, "at most 4 minutes")
	})
}

func TestSpotCapacityInstallsTerminationHandlerOnce(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	for _, id := range []string{"Spot1", "Spot2"} {
		c.AddAutoScalingGroupCapacity(id, asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.SpotPrice = "0.1" }))
	}
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs(eks.HelmChartResourceType, 1)
	tp.HasResourceProperties(eks.HelmChartResourceType, map[string]any{
		"Chart": "aws-node-termination-handler", "Repository": "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler",
		"Version": "0.27.0", "Namespace": "kube-system", "Values": `{"nodeSelector":{"lifecycle":"Ec2Spot"}}`,
		"Release": Match.StringLikeRegexp("chartspotinterrupthandler"),
	})
}

func TestAwsAuth(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack, eks.ClusterProps{MastersRole: iam.NewRole(stack, "Masters", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})})
	c.AddAutoScalingGroupCapacity("Before", asgOptions("t3.large"))
	user := iam.NewUser(stack, "Admin", iam.UserProps{})
	auth := c.AwsAuth()
	auth.AddUserMapping(user, eks.AwsAuthMapping{Groups: []string{"system:masters"}})
	auth.AddRoleMapping(iam.RoleFromRoleArn(stack, "Dev", "arn:aws:iam::123456789012:role/dev"), eks.AwsAuthMapping{Username: "dev", Groups: []string{"devs"}})
	auth.AddAccount("123456789012")
	auth.AddAccount("123456789012")
	c.AddAutoScalingGroupCapacity("After", asgOptions("t3.large"))
	if c.AwsAuth() != auth {
		t.Error("a second AwsAuth per cluster")
	}
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs(eks.AwsAuthResourceType, 1)
	role := func(id string) map[string]any {
		return map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp(id), "Arn"}}
	}
	tp.HasResourceProperties(eks.AwsAuthResourceType, map[string]any{
		"MapRoles": []any{
			map[string]any{"rolearn": role("^Masters"), "username": role("^Masters"), "groups": []any{"system:masters"}},
			map[string]any{"rolearn": role("^ClusterBeforeInstanceRole"), "username": "system:node:{{EC2PrivateDNSName}}", "groups": []any{"system:bootstrappers", "system:nodes"}},
			map[string]any{"rolearn": "arn:aws:iam::123456789012:role/dev", "username": "dev", "groups": []any{"devs"}},
			map[string]any{"rolearn": role("^ClusterAfterInstanceRole"), "username": "system:node:{{EC2PrivateDNSName}}", "groups": []any{"system:bootstrappers", "system:nodes"}},
		},
		"MapUsers":    []any{map[string]any{"userarn": role("^Admin"), "username": role("^Admin"), "groups": []any{"system:masters"}}},
		"MapAccounts": []any{"123456789012"},
	})
}

func TestAwsAuthModes(t *testing.T) {
	t.Parallel()
	t.Run("not made unless asked in API_AND_CONFIG_MAP mode", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		c := k8sCluster(stack)
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
		assertions.FromStack(t, stack).ResourceCountIs(eks.AwsAuthResourceType, 0)
	})
	t.Run("made for nodes in CONFIG_MAP mode", func(t *testing.T) {
		t.Parallel()
		_, stack := newStack()
		p := eks.KubectlProviderFromArn(stack, "K", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:k", RoleArn: "arn:aws:iam::123456789012:role/admin"})
		c := k8sCluster(stack, eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeConfigMap, Kubectl: eks.KubectlOptions{Provider: p}})
		c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
		assertions.FromStack(t, stack).HasResourceProperties(eks.AwsAuthResourceType, map[string]any{"MapRoles": Match.ArrayWith([]any{Match.ObjectLike(map[string]any{"username": "system:node:{{EC2PrivateDNSName}}"})})})
	})
	t.Run("fails in API mode", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		c := k8sCluster(stack, eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeApi})
		c.AwsAuth().AddAccount("123456789012")
		wantError(t, app, "[Stack/Cluster/AwsAuth]", "AuthenticationMode is API", "Cluster.GrantAccess")
	})
}

func TestServiceAccountIRSA(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	sa := c.AddServiceAccount("MyServiceAccount")
	sa2 := c.AddServiceAccount("Other", eks.ServiceAccountOptions{Name: "other", Namespace: "apps", Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"x": "y"}})
	bucket := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	bucket.GrantReadWrite(sa)
	pod := c.AddManifest("mypod", map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "mypod"},
		"spec": map[string]any{"serviceAccountName": sa.ServiceAccountName(), "containers": []any{map[string]any{"name": "c", "image": "x"}}}})
	pod.Node().AddDependency(sa)
	if sa.ServiceAccountName() != strings.ToLower(cdk.UniqueID(sa)) || sa.ServiceAccountNamespace() != "default" {
		t.Errorf("name %q namespace %q", sa.ServiceAccountName(), sa.ServiceAccountNamespace())
	}
	_ = sa2
	tmpl := templateOf(t, stack)
	tp := assertions.FromJSON(t, tmpl)
	tp.ResourceCountIs("AWS::IAM::OIDCProvider", 1)
	tp.HasResourceProperties("AWS::IAM::OIDCProvider", map[string]any{
		"ClientIdList": []any{"sts.amazonaws.com"}, "Url": map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "OpenIdConnectIssuerUrl"}},
		"ThumbprintList": Match.Absent(),
	})
	// The trust policy, with the issuer resolved to a placeholder.
	var doc string
	for id, r := range resourcesOfType(tmpl, "AWS::IAM::Role") {
		if strings.HasPrefix(id, "ClusterMyServiceAccountRole") {
			doc = resolveJoin(r["Properties"].(map[string]any)["AssumeRolePolicyDocument"])
		}
	}
	var trust map[string]any
	if err := json.Unmarshal([]byte(doc), &trust); err != nil {
		t.Fatalf("trust policy is not JSON: %v\n%s", err, doc)
	}
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Action": "sts:AssumeRoleWithWebIdentity", "Effect": "Allow",
		"Principal": map[string]any{"Federated": "{Ref ClusterOpenIdConnectProviderE7EB0530}"},
		"Condition": map[string]any{"StringEquals": map[string]any{
			"{Issuer}:aud": "sts.amazonaws.com",
			"{Issuer}:sub": "system:serviceaccount:default:" + sa.ServiceAccountName(),
		}},
	}}}
	if diff := cmp.Diff(want, trust); diff != "" {
		t.Errorf("trust policy (-want +got):\n%s", diff)
	}
	objs := manifestOf(t, tmpl, "ClusterMyServiceAccountmanifestMyServiceAccountServiceAccountResource")
	md := objs[0]["metadata"].(map[string]any)
	if md["annotations"].(map[string]any)["eks.amazonaws.com/role-arn"] != "<token>" || md["labels"].(map[string]any)["app.kubernetes.io/name"] != sa.ServiceAccountName() {
		t.Errorf("service account metadata: %v", md)
	}
	other := manifestOf(t, tmpl, "ClusterOthermanifest")[0]["metadata"].(map[string]any)
	if other["namespace"] != "apps" || other["labels"].(map[string]any)["team"] != "a" || other["annotations"].(map[string]any)["x"] != "y" {
		t.Errorf("options lost: %v", other)
	}
	// The grant went to the role; the pod waits for the service account.
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{"Roles": []any{map[string]any{"Ref": Match.StringLikeRegexp("^ClusterMyServiceAccountRole")}}})
	tp.HasResource(eks.KubernetesManifestResourceType, map[string]any{
		"Properties": Match.ObjectLike(map[string]any{"Manifest": Match.StringLikeRegexp("mypod")}),
		"DependsOn":  Match.ArrayWith([]any{Match.StringLikeRegexp("^ClusterMyServiceAccountmanifest")}),
	})
}

// resolveJoin renders a Fn::Join with the OIDC issuer as {Issuer} and refs
// as {Ref X}.
func resolveJoin(v any) string {
	var b strings.Builder
	for _, p := range v.(map[string]any)["Fn::Join"].([]any)[1].([]any) {
		switch x := p.(type) {
		case string:
			b.WriteString(x)
		case map[string]any:
			if r, ok := x["Ref"]; ok {
				b.WriteString("{Ref " + r.(string) + "}")
			} else if _, ok := x["Fn::Select"]; ok {
				b.WriteString("{Issuer}")
			} else {
				b.WriteString("{?}")
			}
		}
	}
	return b.String()
}

func TestServiceAccountPodIdentity(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	c.AddServiceAccount("A", eks.ServiceAccountOptions{Name: "a", IdentityType: eks.IdentityTypePodIdentity})
	c.AddServiceAccount("B", eks.ServiceAccountOptions{Name: "b", Namespace: "x", IdentityType: eks.IdentityTypePodIdentity})
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs("AWS::IAM::OIDCProvider", 0)
	tp.ResourceCountIs("AWS::EKS::Addon", 1)
	tp.HasResourceProperties("AWS::EKS::Addon", map[string]any{"AddonName": "eks-pod-identity-agent"})
	tp.HasResourceProperties("AWS::EKS::PodIdentityAssociation", map[string]any{
		"ClusterName": map[string]any{"Ref": "ClusterEB0386A7"}, "Namespace": "x", "ServiceAccount": "b",
		"RoleArn": map[string]any{"Fn::GetAtt": []any{Match.StringLikeRegexp("^ClusterBRole"), "Arn"}},
	})
	tp.HasResourceProperties("AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{map[string]any{
		"Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Effect": "Allow", "Principal": map[string]any{"Service": "pods.eks.amazonaws.com"}}})}})
}

func TestServiceAccountErrors(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := k8sCluster(stack)
	c.AddServiceAccount("SA", eks.ServiceAccountOptions{Name: "Bad_Name", Namespace: "also.bad"})
	wantError(t, app, "[Stack/Cluster/SA]", `service account name "Bad_Name"`, `namespace "also.bad"`)

	_, stack2 := newStack()
	imported := eks.ClusterFromClusterAttributes(stack2, "I", eks.ClusterAttributes{ClusterName: "x", Vpc: ec2.NewVpc(stack2, "V", ec2.VpcProps{})})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "OpenIdConnectProvider") {
			t.Errorf("IRSA on an imported cluster without provider: %v", r)
		}
	}()
	eks.AddServiceAccount(imported, "SA")
}

func cdkNow() time.Time { return time.Now() }

func TestKubernetesResourcesWaitForFargateProfiles(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	// A profile added after the manifest still comes first.
	c.AddFargateProfile("late", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "default"}}})
	assertions.FromStack(t, stack).HasResource(eks.KubernetesManifestResourceType, map[string]any{
		"DependsOn": Match.ArrayWith([]any{Match.StringLikeRegexp("^Clusterfargateprofilelate")}),
	})
}

func TestManifestInAnotherStack(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	env := cdk.Environment{Account: "123456789012", Region: "us-east-1"}
	s1 := cdk.NewStack(app, "ClusterStack", cdk.StackProps{Env: env})
	s2 := cdk.NewStack(app, "AppStack", cdk.StackProps{Env: env})
	c := k8sCluster(s1)
	eks.NewKubernetesManifest(s2, "M", eks.KubernetesManifestProps{Cluster: c,
		Manifest: []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}}})
	if _, err := app.Synth(cdk.InMemory()); err != nil {
		t.Fatal(err)
	}
	assertions.FromStack(t, s1).ResourceCountIs("AWS::Lambda::Function", 1)
	tp := assertions.FromStack(t, s2)
	tp.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{
		"ServiceToken": map[string]any{"Fn::ImportValue": Match.StringLikeRegexp("KubectlProviderHandler")},
	})
	found := false
	for _, d := range s2.Dependencies() {
		found = found || d == s1
	}
	if !found {
		t.Error("the manifest's stack does not depend on the cluster's")
	}
}

// The real handler package resolves (go list: every import found, a main
// package) and names the function's code; synthesis does not build it.
func TestRealKubectlHandlerResolves(t *testing.T) {
	if testing.Short() {
		t.Skip("lists the kubectl handler's dependencies (client-go, Helm); skipped with -short")
	}
	root, _ := filepath.Abs("..")
	_, stack := newStack()
	c := k8sCluster(stack, eks.ClusterProps{Kubectl: eks.KubectlOptions{
		HandlerCode: lambda.CodeFromGoPackage("github.com/eksforge/eksforge/handlers/kubectl/cmd/kubectl", lambda.GoBuildOptions{Dir: root}),
	}})
	c.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	assertions.FromStack(t, stack).HasResourceProperties("AWS::Lambda::Function", map[string]any{"Handler": "bootstrap"})
}

func TestServiceAccountTrustIsWrittenWhole(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	sa := k8sCluster(stack).AddServiceAccount("SA")
	sa.Role().(*iam.Role).AssumeRolePolicy().AddStatements(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions: []string{"sts:AssumeRole"}, Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()}}))
	wantError(t, app, "[Stack/Cluster/SA]", "trust policy")
}

func TestLargeManifestWithTokensFails(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := k8sCluster(stack)
	c.AddManifest("big", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"},
		"data": map[string]any{"cluster": c.ClusterName(), "blob": strings.Repeat("x", eks.ManifestAssetThreshold)}})
	wantError(t, app, "[Stack/Cluster/manifest-big]", "holds late-bound values (tokens)", "split")
}

func TestSharedKubectlProvider(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	a := k8sCluster(stack)
	a.AddManifest("x", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}})
	b := eks.NewCluster(stack, "B", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0), Kubectl: eks.KubectlOptions{Provider: eks.KubectlProviderOf(a)}})
	b.AddManifest("y", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "y"}})
	tp := assertions.FromStack(t, stack)
	tp.ResourceCountIs("AWS::Lambda::Function", 1)
	tp.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"ClusterName":  map[string]any{"Ref": Match.StringLikeRegexp("^B")},
		"PrincipalArn": map[string]any{"Fn::GetAtt": []any{"ClusterKubectlProviderHandlerServiceRoleB460AA6D", "Arn"}},
	})
	tp.HasResource(eks.KubernetesManifestResourceType, map[string]any{
		"Properties": Match.ObjectLike(map[string]any{"ClusterName": map[string]any{"Ref": Match.StringLikeRegexp("^B")}}),
		"DependsOn":  Match.ArrayWith([]any{Match.StringLikeRegexp("^BClusterAdminRoleAccess")}),
	})
}
