// Command hybrid-nodes synthesizes a cluster that EKS Hybrid Nodes join:
// on-premises machines on 10.80.0.0/16 whose pods use 10.85.0.0/16, both
// reachable from the VPC through a VPN or Direct Connect. The nodes' IAM
// role gets its credentials through Systems Manager hybrid activations, and
// its HYBRID_LINUX access entry lets the nodes join the cluster.
//
//	go run ./examples/hybrid-nodes
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
	stack := cdk.NewStack(app, "HybridNodes", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:            eks.V1_34,
		DefaultCapacity:    cdk.Ptr(0),
		RemoteNodeNetworks: []string{"10.80.0.0/16"},
		RemotePodNetworks:  []string{"10.85.0.0/16"},
	})

	// Use the role in `aws ssm create-activation --iam-role`, then
	// `nodeadm init` on each machine.
	hybrid := cluster.AddHybridNodesRole("HybridNodes")
	cdk.NewCfnOutput(stack, "HybridNodesRoleName", cdk.CfnOutputProps{Value: hybrid.Role().RoleName()})
}
