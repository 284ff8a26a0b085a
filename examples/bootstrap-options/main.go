// Command bootstrap-options synthesizes the seed's bootstrap options example on Amazon Linux 2023: up to ten
// spot t3.large nodes whose kubelet gets extra node labels, rendered into
// nodeadm's NodeConfig. The seed's awsApiRetryAttempts has no nodeadm
// equivalent (a synthesis error says so; see docs/eks-bootstrap.md), so it is
// left out. A second group writes its own user data (DisableBootstrap).
//
//	go run ./examples/bootstrap-options
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
	stack := cdk.NewStack(app, "BootstrapOptions", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
	cluster.AddAutoScalingGroupCapacity("spot", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType: ec2.InstanceTypeOf("t3.large"),
			MinCapacity:  cdk.Ptr(2),
			MaxCapacity:  cdk.Ptr(10),
			SpotPrice:    "0.0832",
		},
		ConnectOptions: eks.ConnectOptions{
			BootstrapOptions: eks.BootstrapOptions{
				KubeletExtraArgs: "--node-labels foo=bar,goo=far",
				DisableMaxPods:   true,
				DnsClusterIp:     "172.20.0.10",
			},
		},
	})
	custom := ec2.UserDataForLinux()
	custom.AddCommands("echo my own bootstrap")
	cluster.AddAutoScalingGroupCapacity("custom", eks.AutoScalingGroupCapacityOptions{
		AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{
			InstanceType: ec2.InstanceTypeOf("t3.large"),
			UserData:     custom,
		},
		ConnectOptions: eks.ConnectOptions{DisableBootstrap: true},
	})
}
