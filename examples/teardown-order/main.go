// Command teardown-order synthesizes a cluster whose deletion must go in
// order: managed nodes, self-managed nodes and a Fargate profile; the AWS
// Load Balancer Controller (a Helm chart) and the EBS CSI driver (an EKS
// add-on); and an application whose manifests hold a Service of type
// LoadBalancer, an Ingress and a PersistentVolumeClaim. eksforge orders
// the resources so that a stack deletion removes the load balancers and
// volumes (waiting up to 30 minutes for them) before the controllers that
// delete them, and those before the nodes they run on
// (docs/custom-resources.md, "Teardown order").
//
//	go run ./examples/teardown-order
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// parts are the constructs whose order the example's test checks.
type parts struct {
	cluster                 *eks.Cluster
	nodegroup               *eks.Nodegroup
	selfManaged             *autoscaling.AutoScalingGroup
	fargate                 *eks.FargateProfile
	lbController            *eks.HelmChart
	ebsDriver               *eks.Addon
	web, ingress, data, app cdk.Construct
}

// build adds the example's stack to app.
func build(app *cdk.App) { buildParts(app) }

func buildParts(app *cdk.App) parts {
	stack := cdk.NewStack(app, "TeardownOrder", cdk.StackProps{})
	var p parts
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
