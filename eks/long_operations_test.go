package eks_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

// TestLongOperationHelmTimeoutSynthesizes checks that a 40-minute Helm wait
// synthesizes as a wait past one handler invocation: the chart keeps the
// Helm handler as its service token, CloudFormation waits just over its
// Timeout, and the handler may start a waiter whose tasks run a function
// with the same code and role.
func TestLongOperationHelmTimeoutSynthesizes(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	short := c.AddHelmChart("short", eks.HelmChartOptions{Chart: "a", Repository: "https://charts.example.com", Wait: true, Timeout: cdk.Minutes(10)})
	long := c.AddHelmChart("long", eks.HelmChartOptions{Chart: "b", Repository: "https://charts.example.com", Wait: true, Timeout: cdk.Minutes(40)})
	tp := assertions.FromStack(t, stack)
	kp := eks.KubectlProviderOf(c).(*eks.KubectlProvider)
	helmID := logicalIDOf(t, stack, kp.HelmHandler())
	waiterFn := logicalIDOf(t, stack, kp.Node().FindChild("WaiterHandler"))
	sm := logicalIDOf(t, stack, kp.LongOperationsWaiter())
	policy := logicalIDOf(t, stack, kp.Node().FindChild("WaiterPolicy"))

	chart := func(h *eks.HelmChart) map[string]any {
		return tp.ToJSON()["Resources"].(map[string]any)[logicalIDOf(t, stack, h)].(map[string]any)
	}
	longRes := chart(long)
	props := longRes["Properties"].(map[string]any)
	if props["Timeout"] != "40m0s" || props["ServiceTimeout"] != "2460" {
		t.Errorf("long chart: Timeout %v, ServiceTimeout %v; want 40m0s and 2460 (40 minutes and one)", props["Timeout"], props["ServiceTimeout"])
	}
	if tok, _ := props["ServiceToken"].(map[string]any); tok == nil || tok["Fn::GetAtt"].([]any)[0] != helmID {
		t.Errorf("long chart's ServiceToken is %v, want the Helm handler's ARN (a service token cannot change on update)", props["ServiceToken"])
	}
	if deps, _ := longRes["DependsOn"].([]any); !containsAny(deps, policy) {
		t.Errorf("long chart DependsOn %v, want the waiter policy %s", deps, policy)
	}
	if props := chart(short)["Properties"].(map[string]any); props["ServiceTimeout"] != "960" {
		t.Errorf("short chart ServiceTimeout %v, want the handler's 900 s and one minute", props["ServiceTimeout"])
	}

	tp.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match.ObjectLike(map[string]any{
			"WAITER_STATE_MACHINE_ARN": map[string]any{"Ref": sm},
		})},
	})
	fns := tp.FindResources("AWS::Lambda::Function", map[string]any{"Properties": map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match.ObjectLike(map[string]any{"WAITER_STATE_MACHINE_ARN": assertions.Match.AnyValue()})},
	}})
	if _, ok := fns[helmID]; !ok || len(fns) != 1 {
		t.Errorf("functions that may start the waiter: %v, want only the Helm handler %s", idsOf(fns), helmID)
	}
	res := tp.ToJSON()["Resources"].(map[string]any)
	helm := res[helmID].(map[string]any)["Properties"].(map[string]any)
	wf := res[waiterFn].(map[string]any)["Properties"].(map[string]any)
	for _, k := range []string{"Code", "Role", "MemorySize", "Timeout", "Runtime", "Architectures"} {
		if jsonOf(t, helm[k]) != jsonOf(t, wf[k]) {
			t.Errorf("waiter function %s %s, Helm handler %s", k, jsonOf(t, wf[k]), jsonOf(t, helm[k]))
		}
	}
	def := jsonOf(t, res[sm].(map[string]any)["Properties"].(map[string]any)["DefinitionString"])
	if strings.Count(def, waiterFn) != 2 || !strings.Contains(def, `\"IntervalSeconds\":10,\"MaxAttempts\":360`) {
		t.Errorf("waiter definition %s: want both tasks on %s, polling every 10 s for an hour", def, waiterFn)
	}
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "states:StartExecution", "Effect": "Allow", "Resource": map[string]any{"Ref": sm},
		}}},
	})
}

// TestLongOperationObjectValueAndDeleteSynthesize checks that a 40-minute
// object value and a manifest's 40-minute DeleteTimeout synthesize as
// operations past one invocation of the kubectl handler (not the Helm
// handler, which a cluster without charts does not get): CloudFormation
// waits just over their timeout, the kubectl handler may start the waiter,
// and the resources depend on the permission to.
func TestLongOperationObjectValueAndDeleteSynthesize(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	v := eks.NewKubernetesObjectValue(stack, "Addr", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "web",
		JsonPath: ".status.loadBalancer.ingress[0].hostname", Timeout: cdk.Minutes(40)})
	lb := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "web"},
		"spec": map[string]any{"type": "LoadBalancer", "ports": []any{map[string]any{"port": 80}}}}
	m := eks.NewKubernetesManifest(stack, "Web", eks.KubernetesManifestProps{Cluster: c, Manifest: []any{lb},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{DeleteTimeout: cdk.Minutes(40)}})
	cm := map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}
	short := eks.NewKubernetesManifest(stack, "Short", eks.KubernetesManifestProps{Cluster: c, Manifest: []any{cm},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{DeleteTimeout: cdk.Minutes(5)}})
	tp := assertions.FromStack(t, stack)
	kp := eks.KubectlProviderOf(c).(*eks.KubectlProvider)
	if kp.Node().TryFindChild("HelmHandler") != nil {
		t.Error("a long object value or Delete made the Helm handler")
	}
	handler := logicalIDOf(t, stack, kp.Handler)
	sm := logicalIDOf(t, stack, kp.LongOperationsWaiter())
	policy := logicalIDOf(t, stack, kp.Node().FindChild("WaiterPolicy"))
	res := tp.ToJSON()["Resources"].(map[string]any)
	for _, tc := range []struct {
		what  string
		c     cdk.Construct
		props map[string]any
		long  bool
	}{
		{"object value", v, map[string]any{"TimeoutSeconds": "2400", "ServiceTimeout": "2460"}, true},
		{"manifest", m, map[string]any{"DeleteTimeout": "40m0s", "ServiceTimeout": "2460"}, true},
		{"manifest with a short DeleteTimeout", short, map[string]any{"DeleteTimeout": "5m0s", "ServiceTimeout": "960"}, false},
	} {
		r := res[logicalIDOf(t, stack, tc.c)].(map[string]any)
		props := r["Properties"].(map[string]any)
		for k, want := range tc.props {
			if props[k] != want {
				t.Errorf("%s: %s = %v, want %v", tc.what, k, props[k], want)
			}
		}
		if tok, _ := props["ServiceToken"].(map[string]any); tok == nil || tok["Fn::GetAtt"].([]any)[0] != handler {
			t.Errorf("%s: ServiceToken %v, want the kubectl handler's ARN", tc.what, props["ServiceToken"])
		}
		if deps, _ := r["DependsOn"].([]any); containsAny(deps, policy) != tc.long {
			t.Errorf("%s: DependsOn %v; on the waiter policy %s: %v, want %v", tc.what, deps, policy, !tc.long, tc.long)
		}
	}
	fns := tp.FindResources("AWS::Lambda::Function", map[string]any{"Properties": map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match.ObjectLike(map[string]any{"WAITER_STATE_MACHINE_ARN": map[string]any{"Ref": sm}})},
	}})
	if _, ok := fns[handler]; !ok || len(fns) != 1 {
		t.Errorf("functions that may start the waiter: %v, want only the kubectl handler %s", idsOf(fns), handler)
	}
}

func TestLongOperationObjectValueAndDeleteErrors(t *testing.T) {
	t.Parallel()
	lb := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "web"}, "spec": map[string]any{"type": "LoadBalancer"}}
	for _, tc := range []struct {
		name   string
		shared bool
		add    func(stack *cdk.Stack, c eks.ICluster)
		want   []string
	}{
		{"a two-hour value", false, func(stack *cdk.Stack, c eks.ICluster) {
			eks.NewKubernetesObjectValue(stack, "V", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "s", JsonPath: ".x", Timeout: cdk.Hours(2)})
		}, []string{"[Stack/V]", "Timeout 2 hours is longer than CloudFormation waits for a custom resource: at most 59 minutes"}},
		{"a two-hour DeleteTimeout", false, func(stack *cdk.Stack, c eks.ICluster) {
			eks.NewKubernetesManifest(stack, "M", eks.KubernetesManifestProps{Cluster: c, Manifest: []any{lb}, KubernetesManifestOptions: eks.KubernetesManifestOptions{DeleteTimeout: cdk.Hours(2)}})
		}, []string{"[Stack/M]", "DeleteTimeout 2 hours is longer than CloudFormation waits for a custom resource: at most 59 minutes"}},
		{"a long value with a shared handler", true, func(stack *cdk.Stack, c eks.ICluster) {
			eks.NewKubernetesObjectValue(stack, "V", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "s", JsonPath: ".x", Timeout: cdk.Minutes(20)})
		}, []string{"[Stack/V]", "is shared (Kubectl.Provider)", "Timeout of at most 14 minutes"}},
		{"a long DeleteTimeout with a shared handler", true, func(stack *cdk.Stack, c eks.ICluster) {
			eks.NewKubernetesManifest(stack, "M", eks.KubernetesManifestProps{Cluster: c, Manifest: []any{lb}, KubernetesManifestOptions: eks.KubernetesManifestOptions{DeleteTimeout: cdk.Minutes(20)}})
		}, []string{"[Stack/M]", "is shared (Kubectl.Provider)", "DeleteTimeout of at most 14 minutes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			var props eks.ClusterProps
			if tc.shared {
				props.Kubectl.Provider = eks.KubectlProviderFromArn(stack, "Shared", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl"})
			}
			tc.add(stack, k8sCluster(stack, props))
			wantError(t, app, tc.want...)
		})
	}
}

// TestLongOperationTemplatePassesCfnLint lints a stack with a long Helm
// wait, a long object value and a long Delete (the waiter, its function,
// policy, the handlers' environment and the resources' ServiceTimeout).
func TestLongOperationTemplatePassesCfnLint(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := k8sCluster(stack)
	c.AddHelmChart("long", eks.HelmChartOptions{Chart: "b", Repository: "https://charts.example.com", Wait: true, Timeout: cdk.Minutes(40)})
	eks.NewKubernetesObjectValue(stack, "Addr", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "web", JsonPath: ".status.loadBalancer.ingress[0].hostname", Timeout: cdk.Minutes(40)})
	eks.NewKubernetesManifest(stack, "Web", eks.KubernetesManifestProps{Cluster: c, Manifest: []any{map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}}},
		KubernetesManifestOptions: eks.KubernetesManifestOptions{DeleteTimeout: cdk.Minutes(40)}})
	dir := t.TempDir()
	if _, err := app.Synth(cdk.WithOutdir(dir)); err != nil {
		t.Fatal(err)
	}
	cfnlint.Lint(t, filepath.Join(dir, "Stack.template.json"))
}

func TestLongOperationHelmTimeoutErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts eks.HelmChartOptions
		kube eks.KubectlOptions
		want []string
	}{
		{"fails with a two-hour timeout", eks.HelmChartOptions{Chart: "x", Wait: true, Timeout: cdk.Hours(2)}, eks.KubectlOptions{},
			[]string{"[Stack/Cluster/chart-c]", "Timeout 2 hours is longer than CloudFormation waits for a custom resource: at most 59 minutes", "shorten it"}},
		{"fails just over the hour less a minute", eks.HelmChartOptions{Chart: "x", Wait: true, Timeout: cdk.Seconds(3541)}, eks.KubectlOptions{},
			[]string{"at most 59 minutes"}},
		{"fails past one invocation without Wait", eks.HelmChartOptions{Chart: "x", Timeout: cdk.Minutes(40)}, eks.KubectlOptions{},
			[]string{"[Stack/Cluster/chart-c]", "Wait is false", "set Wait"}},
		{"fails past one invocation of a shared handler", eks.HelmChartOptions{Chart: "x", Wait: true, Timeout: cdk.Minutes(40)}, eks.KubectlOptions{},
			[]string{"is shared (Kubectl.Provider)", "at most 14 minutes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			props := eks.ClusterProps{Kubectl: tc.kube}
			if strings.Contains(tc.name, "shared") {
				props.Kubectl.Provider = eks.KubectlProviderFromArn(stack, "Shared", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl"})
			}
			c := k8sCluster(stack, props)
			c.AddHelmChart("c", tc.opts)
			wantError(t, app, tc.want...)
		})
	}
	t.Run("59 minutes synthesizes", func(t *testing.T) {
		t.Parallel()
		app, stack := newStack()
		k8sCluster(stack).AddHelmChart("c", eks.HelmChartOptions{Chart: "x", Repository: "https://charts.example.com", Wait: true, Timeout: cdk.Minutes(59)})
		if err := synthError(t, app); err != "" {
			t.Fatal(err)
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func containsAny(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func idsOf(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestTeardownOrderKubernetesBeforeCapacity checks the dependency edges that
// make CloudFormation delete Kubernetes resources before the capacity and
// the handler they need: each depends on every node group, self-managed
// Auto Scaling group and Fargate profile of its cluster (also those added
// after it), on the handler's access entry, and references the handler.
func TestTeardownOrderKubernetesBeforeCapacity(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	m := c.AddManifest("lb", map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "web"},
		"spec": map[string]any{"type": "LoadBalancer", "ports": []any{map[string]any{"port": 80}}}})
	chart := c.AddHelmChart("ctl", eks.HelmChartOptions{Chart: "aws-load-balancer-controller", Repository: "https://aws.github.io/eks-charts"})
	ng := c.AddNodegroupCapacity("ng")
	asg := c.AddAutoScalingGroupCapacity("asg", eks.AutoScalingGroupCapacityOptions{AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("m5.large")}})
	fp := c.AddFargateProfile("fp", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "fargate"}}})
	tmpl := templateOf(t, stack)
	res := tmpl["Resources"].(map[string]any)
	capacity := []string{logicalIDOf(t, stack, ng), logicalIDOf(t, stack, asg), logicalIDOf(t, stack, fp)}
	for _, k := range []cdk.Construct{m, chart} {
		id := logicalIDOf(t, stack, k)
		r := res[id].(map[string]any)
		deps, _ := r["DependsOn"].([]any)
		for _, want := range capacity {
			if !containsAny(deps, want) {
				t.Errorf("%s DependsOn %v, lacks capacity %s: it could be deleted after the nodes its controllers run on", id, deps, want)
			}
		}
		if !strings.Contains(jsonOf(t, r["Properties"].(map[string]any)["ServiceToken"]), "KubectlProvider") {
			t.Errorf("%s ServiceToken %v: not the kubectl provider's handler", id, r["Properties"].(map[string]any)["ServiceToken"])
		}
	}
	// Capacity never waits for Kubernetes resources (no cycle, and nodes
	// are up before pods are scheduled).
	for _, id := range capacity {
		deps, _ := res[id].(map[string]any)["DependsOn"].([]any)
		for _, k := range []cdk.Construct{m, chart} {
			if containsAny(deps, logicalIDOf(t, stack, k)) {
				t.Errorf("capacity %s depends on Kubernetes resource %s", id, logicalIDOf(t, stack, k))
			}
		}
	}
}

// TestTeardownOrderManifestsBeforeControllers checks that manifests whose
// objects' cloud resources a controller deletes depend on the controller's
// chart or add-on when the controller is declared first (the example
// TestTeardownOrder declares it last), by chart name also in an oci://
// reference, and that other manifests and charts do not.
func TestTeardownOrderManifestsBeforeControllers(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := k8sCluster(stack)
	lbc := c.AddHelmChart("lbc", eks.HelmChartOptions{Chart: "oci://public.ecr.aws/eks/aws-load-balancer-controller", Version: "1.14.0", Namespace: "kube-system"})
	efs := c.AddHelmChart("efs", eks.HelmChartOptions{Chart: "aws-efs-csi-driver", Repository: "https://kubernetes-sigs.github.io/aws-efs-csi-driver", Namespace: "kube-system"})
	ebs := c.AddAddon("ebs", eks.AddonOptions{AddonName: eks.AddonNameEbsCsiDriver})
	other := c.AddHelmChart("nginx", eks.HelmChartOptions{Chart: "ingress-nginx", Repository: "https://kubernetes.github.io/ingress-nginx"})
	gw := c.AddManifest("gw", map[string]any{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": map[string]any{"name": "edge"},
		"spec": map[string]any{"gatewayClassName": "alb"}})
	pvc := c.AddManifest("pvc", map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "data"},
		"spec": map[string]any{"accessModes": []any{"ReadWriteOnce"}}})
	plain := c.AddManifest("svc", map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "internal"},
		"spec": map[string]any{"type": "ClusterIP"}})
	res := templateOf(t, stack)["Resources"].(map[string]any)
	dependsOn := func(a, b cdk.Construct) bool {
		deps, _ := res[logicalIDOf(t, stack, a)].(map[string]any)["DependsOn"].([]any)
		return containsAny(deps, logicalIDOf(t, stack, b))
	}
	for _, tc := range []struct {
		what string
		m, c cdk.Construct
		want bool
	}{
		{"Gateway on the load balancer controller (oci://)", gw, lbc, true},
		{"claim on the EFS CSI driver chart", pvc, efs, true},
		{"claim on the EBS CSI driver add-on", pvc, ebs, true},
		{"Gateway on a CSI driver", gw, efs, false},
		{"claim on the load balancer controller", pvc, lbc, false},
		{"ClusterIP Service on the load balancer controller", plain, lbc, false},
		{"Gateway on another chart", gw, other, false},
	} {
		if got := dependsOn(tc.m, tc.c); got != tc.want {
			t.Errorf("%s: DependsOn %v, want %v", tc.what, got, tc.want)
		}
		if dependsOn(tc.c, tc.m) {
			t.Errorf("%s: the controller depends on the manifest", tc.what)
		}
	}
}
