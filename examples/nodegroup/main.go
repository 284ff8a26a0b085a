// Command nodegroup synthesizes the seed's "Managed Node Groups" examples: a Nodegroup construct with
// the defaults (t3.medium, 2 nodes) and a customized node group added with
// AddNodegroupCapacity (instance types, sizes, disk, labels, taints, spot).
//
//	go run ./examples/nodegroup
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

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

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Nodegroup", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	eks.NewNodegroup(stack, "nodegroup", eks.NodegroupProps{Cluster: cluster})
	cluster.AddNodegroupCapacity("custom-node-group", eks.NodegroupOptions{
		InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m5.large")},
		MinSize:       cdk.Ptr(4),
		DiskSize:      100,
		AmiType:       eks.NodegroupAmiTypeAl2023X86_64Standard,
		Labels:        map[string]string{"team": "web"},
		Taints:        []eks.TaintSpec{{Key: "dedicated", Value: "web", Effect: eks.TaintEffectNoSchedule}},
	})
	cluster.AddNodegroupCapacity("spot-arm", eks.NodegroupOptions{
		InstanceTypes:  []ec2.InstanceType{ec2.InstanceTypeOf("m6g.large"), ec2.InstanceTypeOf("m7g.large")},
		CapacityType:   eks.CapacityTypeSpot,
		MinSize:        cdk.Ptr(1),
		MaxSize:        cdk.Ptr(5),
		MaxUnavailable: 1,
	})
}
