// Command minimal synthesizes a small stack — a VPC, a bucket, a topic and a
// cross-stack output — into cdk.out (or $CDK_OUTDIR). It is the quick start
// of the README until the EKS examples land:
//
//	go run ./examples/minimal
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/cdk"
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
	network := cdk.NewStack(app, "MinimalNetwork", cdk.StackProps{
		Description: "eksforge minimal example: a VPC",
		Tags:        map[string]string{"project": "eksforge-minimal"},
	})
	vpc := cdk.NewCfnResource(network, "Vpc", cdk.CfnResourceProps{
		Type:    "AWS::EC2::VPC",
		Tagging: cdk.TagFormatStandard,
		Properties: map[string]any{
			"CidrBlock":          "10.0.0.0/16",
			"EnableDnsHostnames": true,
			"EnableDnsSupport":   true,
		},
	})

	app2 := cdk.NewStack(app, "MinimalApp", cdk.StackProps{
		Description: "eksforge minimal example: a bucket and a topic",
		Tags:        map[string]string{"project": "eksforge-minimal"},
	})
	bucket := cdk.NewCfnResource(app2, "Bucket", cdk.CfnResourceProps{
		Type:    "AWS::S3::Bucket",
		Tagging: cdk.TagFormatStandard,
		Properties: map[string]any{
			"BucketEncryption": map[string]any{
				"ServerSideEncryptionConfiguration": []any{
					map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}},
				},
			},
			"PublicAccessBlockConfiguration": map[string]any{
				"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
			},
		},
	})
	bucket.ApplyRemovalPolicy(cdk.RemovalPolicyRetain)
	topic := cdk.NewCfnResource(app2, "Topic", cdk.CfnResourceProps{
		Type:    "AWS::SNS::Topic",
		Tagging: cdk.TagFormatStandard,
		Properties: map[string]any{
			// Concatenating tokens makes an Fn::Join.
			"DisplayName": "events-of-" + bucket.Ref(),
		},
	})
	cdk.NewCfnOutput(app2, "TopicArn", cdk.CfnOutputProps{Value: topic.Ref(), Description: "The topic's ARN"})
	// A reference to another stack becomes an export and Fn::ImportValue.
	cdk.NewCfnOutput(app2, "VpcId", cdk.CfnOutputProps{Value: vpc.Ref(), Description: "The VPC of the network stack"})
	cdk.NewCfnOutput(app2, "BucketArn", cdk.CfnOutputProps{Value: bucket.GetAttString("Arn"), ExportName: "minimal-bucket-arn"})
}
