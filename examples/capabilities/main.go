// Command capabilities synthesizes a cluster with the three EKS
// Capabilities, run by EKS outside the cluster's nodes: Argo CD for GitOps,
// signed in with IAM Identity Center, its administrators and viewers
// mapped from Identity Center groups; AWS Controllers for Kubernetes, whose
// role may manage the S3 buckets it creates; and kro, to compose custom
// resources.
//
//	go run ./examples/capabilities
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/iam"
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
	stack := cdk.NewStack(app, "Capabilities", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{
		Version:            eks.V1_34,
		DefaultCapacity:    cdk.Ptr(0),
		AuthenticationMode: eks.AuthenticationModeApi,
	})

	argo := cluster.AddCapability("ArgoCd", eks.CapabilityOptions{
		Type: eks.CapabilityTypeArgoCd,
		ArgoCd: &eks.ArgoCdOptions{
			IdentityCenterInstanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef",
			IdentityCenterRegion:      "us-east-1",
			RbacRoleMappings: []eks.ArgoCdRoleMapping{
				{Role: eks.ArgoCdRoleAdmin, Groups: []string{"a1b2c3d4-platform"}},
				{Role: eks.ArgoCdRoleViewer, Groups: []string{"e5f6a7b8-developers"}},
			},
		},
	})
	cdk.NewCfnOutput(stack, "ArgoCdServerUrl", cdk.CfnOutputProps{Value: argo.ArgoCdServerUrl()})

	// ACK creates AWS resources with its role's permissions: grant them.
	ack := cluster.AddCapability("Ack", eks.CapabilityOptions{Type: eks.CapabilityTypeAck})
	ack.Role().AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:ListBucket"},
		Resources: []string{"arn:aws:s3:::team-*"},
	}))

	cluster.AddCapability("Kro", eks.CapabilityOptions{Type: eks.CapabilityTypeKro})
}
