package main

import (
	"flag"
	"slices"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/goldentemplate"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// TestGoldenTemplates compares each stack's template with
// testdata/<stack>.template.json, the kubectl handler's code hash masked
// (cfn-lint checks those files once for all examples, in
// examples/eks_lint_test.go).
func TestGoldenTemplates(t *testing.T) {
	goldentemplate.Check(t, *update, build)
}

// TestTeardownOrder checks, on the synthesized template, the DependsOn
// edges by which CloudFormation deletes the stack in order (it deletes a
// resource only after every resource that depends on it):
//   - every Kubernetes custom resource but aws-auth depends on each node
//     group, self-managed Auto Scaling group and Fargate profile, so the
//     capacity — and the controllers' pods on it — outlives them;
//   - the manifests holding a LoadBalancer Service and an Ingress depend
//     on the AWS Load Balancer Controller's chart, and the one holding a
//     PersistentVolumeClaim on the EBS CSI driver add-on, although they
//     were declared first: their Deletes wait for the load balancers and
//     the volume while the controllers that delete them still run;
//   - neither controller, nor the capacity, depends on those manifests;
//   - the three wait up to their DeleteTimeout of 30 minutes
//     (ServiceTimeout 1860 s), through the waiter.
//
// moto's CloudFormation does not serve the EKS resource types, so the
// order is checked here rather than by deploying and destroying the
// stack; the handler's side of each wait is tested against the API server
// (handlers/kubectl, TestTeardown*, TestLongOperationFinalizer*).
func TestTeardownOrder(t *testing.T) {
	kubernetesTypes := map[string]bool{eks.KubernetesManifestResourceType: true, eks.HelmChartResourceType: true,
		eks.KubernetesPatchResourceType: true, eks.KubernetesObjectValueResourceType: true}
	app := cdk.NewApp(cdk.AppProps{})
	p := buildParts(app)
	stack := cdk.StackOf(p.cluster)
	tp := assertions.FromStack(t, stack)
	res := tp.ToJSON()["Resources"].(map[string]any)
	id := func(c cdk.Construct) string {
		t.Helper()
		r, ok := c.Node().DefaultChild().(interface{ LogicalID() string })
		if !ok {
			t.Fatalf("%s has no default child resource", c.Node().Path())
		}
		v, err := stack.Resolve(r.LogicalID())
		if err != nil {
			t.Fatal(err)
		}
		return v.(string)
	}
	dependsOn := func(from, to string) bool {
		deps, _ := res[from].(map[string]any)["DependsOn"].([]any)
		return slices.Contains(deps, any(to))
	}
	capacity := []string{id(p.nodegroup), id(p.selfManaged), id(p.fargate)}

	kube := 0
	for logical, r := range res {
		typ, _ := r.(map[string]any)["Type"].(string)
		if !kubernetesTypes[typ] {
			continue
		}
		kube++
		for _, c := range capacity {
			if !dependsOn(logical, c) {
				t.Errorf("%s (%s) does not depend on capacity %s: it could be deleted after the nodes its controllers run on", logical, typ, c)
			}
			if dependsOn(c, logical) {
				t.Errorf("capacity %s depends on Kubernetes resource %s", c, logical)
			}
		}
	}
	if kube != 5 {
		t.Errorf("found %d Kubernetes custom resources, want the 4 manifests and the chart", kube)
	}

	for _, tc := range []struct {
		what       string
		m          cdk.Construct
		controller string
	}{
		{"LoadBalancer Service", p.web, id(p.lbController)},
		{"Ingress", p.ingress, id(p.lbController)},
		{"PersistentVolumeClaim", p.data, id(p.ebsDriver)},
	} {
		m := id(tc.m)
		if !dependsOn(m, tc.controller) {
			t.Errorf("the %s manifest %s does not depend on its controller %s: the controller could be deleted first", tc.what, m, tc.controller)
		}
		if dependsOn(tc.controller, m) {
			t.Errorf("controller %s depends on the %s manifest %s", tc.controller, tc.what, m)
		}
		props := res[m].(map[string]any)["Properties"].(map[string]any)
		if props["DeleteTimeout"] != "30m0s" || props["ServiceTimeout"] != "1860" {
			t.Errorf("the %s manifest: DeleteTimeout %v, ServiceTimeout %v; want 30m0s and 1860", tc.what, props["DeleteTimeout"], props["ServiceTimeout"])
		}
	}
	settings := id(p.app)
	for _, ctl := range []string{id(p.lbController), id(p.ebsDriver)} {
		if dependsOn(settings, ctl) {
			t.Errorf("the manifest without cloud resources depends on controller %s", ctl)
		}
	}
	tp.ResourceCountIs("AWS::StepFunctions::StateMachine", 1)
}
