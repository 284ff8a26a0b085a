// Command cluster-security-group synthesizes the seed's "Cluster Security Group" example: the ID of the security
// group EKS creates for the control plane and managed nodes, as an output.
//
//	go run ./examples/cluster-security-group
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
	stack := cdk.NewStack(app, "ClusterSecurityGroup", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
	cdk.NewCfnOutput(stack, "ClusterSecurityGroupId", cdk.CfnOutputProps{Value: cluster.ClusterSecurityGroupId()})
}
