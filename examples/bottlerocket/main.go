// Command bottlerocket synthesizes the seed's Bottlerocket example: self-managed capacity of 2 t3.small
// Bottlerocket nodes, configured with Bottlerocket's TOML settings, in a
// cluster without default capacity; and a managed node group on Bottlerocket.
//
//	go run ./examples/bottlerocket
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

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Bottlerocket", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	cluster.AddAutoScalingGroupCapacity("BottlerocketNodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType: ec2.InstanceTypeOf("t3.small"),
			MinCapacity:  cdk.Ptr(2),
		},
		ConnectOptions: eks.ConnectOptions{MachineImageType: eks.MachineImageTypeBottlerocket},
	})
	cluster.AddNodegroupCapacity("BottlerocketManaged", eks.NodegroupOptions{
		InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m6g.medium")},
		AmiType:       eks.NodegroupAmiTypeBottlerocketArm64,
	})
}
