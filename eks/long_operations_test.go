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

// TestLongOperationTemplatePassesCfnLint lints a stack with a long Helm wait
// (the waiter, its function, policy and the chart's ServiceTimeout).
func TestLongOperationTemplatePassesCfnLint(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	k8sCluster(stack).AddHelmChart("long", eks.HelmChartOptions{Chart: "b", Repository: "https://charts.example.com", Wait: true, Timeout: cdk.Minutes(40)})
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
	ng := c.AddNodegroupCapacity("ng", eks.NodegroupOptions{})
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
