// Command default-capacity synthesizes the seed's default capacity examples: a cluster with the default 2
// m5.large nodes, and one with 10 m5.xlarge nodes (DefaultCapacity and
// DefaultCapacityInstance).
//
//	go run ./examples/default-capacity
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
	stack := cdk.NewStack(app, "DefaultCapacity", cdk.StackProps{})
	eks.NewCluster(stack, "cluster-two-m5-large", eks.ClusterProps{Version: eks.V1_34})
	eks.NewCluster(stack, "cluster", eks.ClusterProps{
		Version:                 eks.V1_34,
		DefaultCapacity:         cdk.Ptr(10),
		DefaultCapacityInstance: ec2.InstanceTypeOf("m5.xlarge"),
	})
}
