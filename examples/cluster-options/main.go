// Command cluster-options synthesizes two clusters with the control-plane
// options of the current EKS API. The first stays on standard support
// (upgraded by EKS when its version's standard support ends, never billed
// for extended support), lets Application Recovery Controller shift its
// traffic away from an impaired Availability Zone, runs a provisioned
// control plane of the XL tier, cannot be deleted by accident, and lets a
// version update through past failing upgrade insights. The second is a
// local cluster: its control plane runs on an AWS Outpost, with a private
// endpoint and self-managed nodes.
//
//	go run ./examples/cluster-options
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

// build adds the example's stacks to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "ClusterOptions", cdk.StackProps{})
	eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:                 eks.V1_34,
		DefaultCapacity:         cdk.Ptr(0),
		SupportType:             eks.SupportTypeStandard,
		EnableZonalShift:        true,
		ControlPlaneScalingTier: eks.ControlPlaneScalingTierXL,
		DeletionProtection:      true,
		ForceVersionUpdate:      true,
	})

	local := cdk.NewStack(app, "LocalCluster", cdk.StackProps{})
	eks.NewCluster(local, "Cluster", eks.ClusterProps{
		Version:         eks.V1_34,
		DefaultCapacity: cdk.Ptr(0),
		EndpointAccess:  eks.EndpointAccessPrivate,
		Outpost: &eks.OutpostConfig{
			OutpostArn:               "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0",
			ControlPlaneInstanceType: ec2.InstanceTypeOf("m5d.large"),
		},
	})
}
