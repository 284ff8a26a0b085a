// Command add-capacity synthesizes the seed's addCapacity and addAutoScalingGroup examples: self-managed
// nodes added with AddAutoScalingGroupCapacity (3 t3.medium in public
// subnets), and an Auto Scaling group defined separately and joined with
// ConnectAutoScalingGroupCapacity.
//
//	go run ./examples/add-capacity
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
	stack := cdk.NewStack(app, "AddCapacity", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	cluster.AddAutoScalingGroupCapacity("frontend-nodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType: ec2.InstanceTypeOf("t3.medium"),
			MinCapacity:  cdk.Ptr(3),
			VpcSubnets:   ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic},
		},
	})
	asg := autoscaling.NewAutoScalingGroup(stack, "BackendNodes", autoscaling.AutoScalingGroupProps{
		Vpc:          cluster.Vpc(),
		InstanceType: ec2.InstanceTypeOf("m6g.large"),
		MachineImage: ec2.EksOptimizedAmi(string(eks.V1_34), ec2.NodeTypeStandardArm64),
		UserData:     ec2.NewMultipartUserData(),
		MinCapacity:  cdk.Ptr(2),
	})
	cluster.ConnectAutoScalingGroupCapacity(asg)
}
