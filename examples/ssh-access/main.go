// Command ssh-access synthesizes the seed's "Node ssh Access" example: nodes in public subnets with an
// EC2 key pair, and port 22 open to one address range.
//
//	go run ./examples/ssh-access
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
	stack := cdk.NewStack(app, "SshAccess", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	asg := cluster.AddAutoScalingGroupCapacity("Nodes", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType:             ec2.InstanceTypeOf("t3.medium"),
			VpcSubnets:               ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic},
			AssociatePublicIpAddress: cdk.Ptr(true),
			KeyName:                  "my-key-name",
		},
	})
	// Replace with the address range you connect from.
	asg.Connections().AllowFrom(ec2.PeerIpv4("203.0.113.0/24"), ec2.PortTcp(22), "SSH")
}
