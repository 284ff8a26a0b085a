// Command self-managed-ec2 synthesizes the seed's self-managed default capacity: DefaultCapacityType EC2 makes the
// default capacity an Auto Scaling group of 2 m5.large nodes with the
// EKS-optimized Amazon Linux 2023 AMI, bootstrapped by nodeadm.
//
//	go run ./examples/self-managed-ec2
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

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
	stack := cdk.NewStack(app, "SelfManagedEc2", cdk.StackProps{})
	eks.NewCluster(stack, "cluster-self-managed-ec2", eks.ClusterProps{
		Version:             eks.V1_34,
		DefaultCapacityType: eks.DefaultCapacityTypeEC2,
	})
}
