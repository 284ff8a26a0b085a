// Command endpoint-access synthesizes the seed's "Endpoint Access" example: a cluster whose API endpoint is
// reachable from its VPC only, and one whose public endpoint is restricted to
// a CIDR block.
//
//	go run ./examples/endpoint-access
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
	stack := cdk.NewStack(app, "EndpointAccess", cdk.StackProps{})
	eks.NewCluster(stack, "hello-eks", eks.ClusterProps{
		Version:        eks.V1_34,
		EndpointAccess: eks.EndpointAccessPrivate,
	})
	eks.NewCluster(stack, "restricted", eks.ClusterProps{
		Version:         eks.V1_34,
		EndpointAccess:  eks.EndpointAccessPublicAndPrivate.OnlyFrom("203.0.113.0/24"),
		DefaultCapacity: cdk.Ptr(0),
	})
}
