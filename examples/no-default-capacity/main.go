// Command no-default-capacity synthesizes the seed's "disable the default capacity" example: DefaultCapacity 0
// gives a cluster with no nodes (DefaultNodegroup and DefaultCapacity are nil).
//
//	go run ./examples/no-default-capacity
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
	stack := cdk.NewStack(app, "NoDefaultCapacity", cdk.StackProps{})
	eks.NewCluster(stack, "cluster-with-no-capacity", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
	})
}
