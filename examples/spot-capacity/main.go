// Command spot-capacity synthesizes the seed's "Spot Capacity" example: self-managed spot nodes (up to ten
// t3.large), labelled lifecycle=Ec2Spot and tainted
// spotInstance=true:PreferNoSchedule by their bootstrap. The AWS Node
// Termination Handler chart is requested from the cluster once; Helm charts
// (EKS library, part 2) install it.
//
//	go run ./examples/spot-capacity
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
	stack := cdk.NewStack(app, "SpotCapacity", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	cluster.AddAutoScalingGroupCapacity("spot", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			SpotPrice:    "0.1094",
			InstanceType: ec2.InstanceTypeOf("t3.large"),
			MaxCapacity:  cdk.Ptr(10),
		},
	})
}
