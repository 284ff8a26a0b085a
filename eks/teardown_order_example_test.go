package eks_test

// The teardown-order app of issue 20: capacity of three kinds, manifests
// with a LoadBalancer Service, an Ingress and a PersistentVolumeClaim
// declared before the controllers that own their cloud resources (the AWS
// Load Balancer Controller's chart, the EBS CSI driver add-on). It has no
// aws-cdk-lib counterpart (DeleteTimeout and the automatic ordering are
// eksforge's), so it lives here rather than under examples/.

import (
	"slices"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

type teardownParts struct {
	cluster                 *eks.Cluster
	nodegroup               *eks.Nodegroup
	selfManaged             *autoscaling.AutoScalingGroup
	fargate                 *eks.FargateProfile
	lbController            *eks.HelmChart
	ebsDriver               *eks.Addon
	web, ingress, data, app cdk.Construct
}

// build adds the example's stack to app.
func buildTeardownParts(app *cdk.App) teardownParts {
	stack := cdk.NewStack(app, "TeardownOrder", cdk.StackProps{})
	var p teardownParts
	p.cluster = eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	p.nodegroup = p.cluster.AddNodegroupCapacity("system", eks.NodegroupOptions{InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m6i.large")}})
	p.selfManaged = p.cluster.AddAutoScalingGroupCapacity("batch", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf("c6i.large"), MinCapacity: cdk.Ptr(1)},
	})
	p.fargate = p.cluster.AddFargateProfile("jobs", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "jobs"}}})

	// The application is declared before its controllers: the order
	// between them does not depend on the order of the code.
	deleteTimeout := eks.KubernetesManifestOptions{DeleteTimeout: cdk.Minutes(30)}
	p.web = eks.NewKubernetesManifest(stack, "Web", eks.KubernetesManifestProps{Cluster: p.cluster, KubernetesManifestOptions: deleteTimeout, Manifest: []any{
		map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "web", "namespace": "default",
			"annotations": map[string]any{"service.beta.kubernetes.io/aws-load-balancer-type": "external"}},
			"spec": map[string]any{"type": "LoadBalancer", "selector": map[string]any{"app": "web"}, "ports": []any{map[string]any{"port": 80, "targetPort": 8080}}}},
	}})
	p.ingress = eks.NewKubernetesManifest(stack, "Api", eks.KubernetesManifestProps{Cluster: p.cluster, KubernetesManifestOptions: deleteTimeout, Manifest: []any{
		map[string]any{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": map[string]any{"name": "api", "namespace": "default"},
			"spec": map[string]any{"ingressClassName": "alb", "defaultBackend": map[string]any{"service": map[string]any{"name": "web", "port": map[string]any{"number": 80}}}}},
	}})
	p.data = eks.NewKubernetesManifest(stack, "Data", eks.KubernetesManifestProps{Cluster: p.cluster, KubernetesManifestOptions: deleteTimeout, Manifest: []any{
		map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "data", "namespace": "default"},
			"spec": map[string]any{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "gp3",
				"resources": map[string]any{"requests": map[string]any{"storage": "20Gi"}}}},
	}})
	// A manifest with no cloud resources: ordered only against capacity.
	p.app = p.cluster.AddManifest("settings", map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "settings", "namespace": "default"}, "data": map[string]any{"mode": "production"}})

	p.lbController = p.cluster.AddHelmChart("lbc", eks.HelmChartOptions{
		Chart:      "aws-load-balancer-controller",
		Repository: "https://aws.github.io/eks-charts",
		Version:    "1.14.0",
		Namespace:  "kube-system",
		Values:     map[string]any{"clusterName": p.cluster.ClusterName()},
		Wait:       true,
	})
	p.ebsDriver = p.cluster.AddAddon("EbsCsiDriver", eks.AddonOptions{AddonName: eks.AddonNameEbsCsiDriver})
	return p
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
	p := buildTeardownParts(app)
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
