// Command fargate-cluster synthesizes the seed's FargateCluster example: a cluster without EC2 capacity, a
// default Fargate profile for the kube-system and default namespaces, and
// CoreDNS on Fargate (the coredns add-on with computeType Fargate).
//
//	go run ./examples/fargate-cluster
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
	stack := cdk.NewStack(app, "FargateCluster", cdk.StackProps{})
	eks.NewFargateCluster(stack, "MyCluster", eks.FargateClusterProps{
		ClusterProps: eks.ClusterProps{Version: eks.V1_34},
	})
}
