// Command fargate-profile synthesizes the seed's "Fargate" example: a Fargate profile matching every pod of
// the default namespace, added to a cluster with AddFargateProfile.
//
//	go run ./examples/fargate-profile
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
	stack := cdk.NewStack(app, "FargateProfile", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
	cluster.AddFargateProfile("MyProfile", eks.FargateProfileOptions{
		Selectors: []eks.Selector{{Namespace: "default"}},
	})
}
