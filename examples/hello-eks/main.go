// Command hello-eks synthesizes the seed's first example: a cluster with the default capacity (a managed
// node group of 2 m5.large nodes) in a new VPC. The seed also applies a pod
// manifest; that needs Kubernetes manifests (EKS library, part 2).
//
//	go run ./examples/hello-eks
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
	stack := cdk.NewStack(app, "HelloEks", cdk.StackProps{})
	eks.NewCluster(stack, "hello-eks", eks.ClusterProps{Version: eks.V1_34})
}
