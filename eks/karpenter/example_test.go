package karpenter_test

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/eks/karpenter"
)

// Karpenter on a cluster with one managed node for the controller, the
// getting-started NodePool, and a spot-only pool.
func ExampleNew() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Karpenter", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(1)})

	k := karpenter.New(stack, "Karpenter", karpenter.Props{Cluster: cluster, Version: "1.14.1"})
	k.AddNodePool("default", karpenter.NodePoolSpec{})
	spot := k.AddNodePool("spot", karpenter.NodePoolSpec{
		Template: karpenter.NodeClaimTemplate{Spec: karpenter.NodeClaimTemplateSpec{
			Requirements: []karpenter.NodeSelectorRequirementWithMinValues{
				{Key: karpenter.LabelCapacityType, Operator: corev1.NodeSelectorOpIn, Values: []string{karpenter.CapacityTypeSpot}},
			},
		}},
	})

	fmt.Println(k.Namespace(), spot.Spec().Template.Spec.NodeClassRef.Name, spot.Spec().Disruption.ConsolidationPolicy)
	// Output: kube-system default WhenEmptyOrUnderutilized
}
