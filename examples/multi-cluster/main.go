// Command multi-cluster synthesizes several clusters in one stack: two clusters sharing a VPC, each with its
// own node group, and a third with Fargate only.
//
//	go run ./examples/multi-cluster
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
	stack := cdk.NewStack(app, "MultiCluster", cdk.StackProps{})
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{MaxAzs: 2})
	for _, name := range []string{"blue", "green"} {
		c := eks.NewCluster(stack, name, eks.ClusterProps{
			Version:         eks.V1_34,
			Vpc:             vpc,
			DefaultCapacity: cdk.Ptr(0),
		})
		c.AddNodegroupCapacity("workers", eks.NodegroupOptions{
			InstanceTypes: []ec2.InstanceType{ec2.InstanceTypeOf("m6i.large")},
			MinSize:       cdk.Ptr(2),
		})
	}
	eks.NewFargateCluster(stack, "serverless", eks.FargateClusterProps{
		ClusterProps: eks.ClusterProps{Version: eks.V1_34, Vpc: vpc},
	})
}
