// Command karpenter synthesizes an EKS cluster whose nodes Karpenter
// scales: a small managed node group runs the controller, and Karpenter
// launches everything else from two NodePools (the getting-started
// defaults, and spot-only GPU nodes behind a taint).
//
//	go run ./examples/karpenter
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/eks/karpenter"
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

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Karpenter", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		ClusterName:     "karpenter-demo",
		DefaultCapacity: cdk.Ptr(1), // for the controller; Karpenter launches the rest
	})

	k := karpenter.New(stack, "Karpenter", karpenter.Props{
		Cluster: cluster,
		Version: "1.14.1",
	})

	// The getting-started NodePool and EC2NodeClass: AL2023, amd64 c/m/r
	// instances of generation 3 and later, on-demand or spot, consolidated
	// when empty or underutilized, at most 1000 CPUs.
	k.AddNodePool("default", karpenter.NodePoolSpec{})

	// Spot GPU nodes for pods that tolerate the taint.
	k.AddEC2NodeClass("gpu", karpenter.EC2NodeClassSpec{
		BlockDeviceMappings: []karpenter.BlockDeviceMapping{{
			DeviceName: "/dev/xvda",
			RootVolume: true,
			EBS:        &karpenter.BlockDevice{VolumeSize: "200Gi", VolumeType: "gp3"},
		}},
	})
	k.AddNodePool("gpu", karpenter.NodePoolSpec{
		Template: karpenter.NodeClaimTemplate{Spec: karpenter.NodeClaimTemplateSpec{
			NodeClassRef: &karpenter.NodeClassReference{Name: "gpu"},
			Requirements: []karpenter.NodeSelectorRequirementWithMinValues{
				{Key: karpenter.LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{karpenter.CapacityTypeSpot}},
				{Key: "karpenter.k8s.aws/instance-family", Operator: corev1.NodeSelectorOpIn, Values: []string{"g5", "g6"}},
			},
			Taints: []corev1.Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}},
		}},
		Limits: corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("8")},
	})
}
